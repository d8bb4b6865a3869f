import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createSessionTestApp } from '../support/session-test-app';
import { sessionAgent, sessionTransaction, signInAs } from '../support/session-transaction';

// pallets/flask tests/test_testing.py: the session_transaction cases.
describe('sessionTransaction', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createSessionTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('reads, changes and stores the session the agent carries (test_session_transactions)', async () => {
    const agent = sessionAgent(app);
    await sessionTransaction(agent, (session) => {
      expect(session.size).toBe(0);
      session.set('foo', [42]);
      expect(session.size).toBe(1);
    });
    expect((await agent.get('/s')).body).toEqual({ foo: [42] });
    await sessionTransaction(agent, (session) => {
      expect(session.size).toBe(1);
      expect(session.get('foo')).toEqual([42]);
    });
  });

  it('sees what the app wrote, and the app sees what it writes (login seeded without a login route)', async () => {
    const agent = sessionAgent(app);
    await agent.post('/s/set').send({ from: 'app' });
    await sessionTransaction(agent, async (session) => {
      expect(session.get('from')).toBe('app');
      session.permanent = true;
      await Promise.resolve();
    });
    expect((await agent.get('/s/meta')).body).toMatchObject({ permanent: true, new: false });
    expect((await agent.get('/s')).body).toEqual({ from: 'app' });
    // A login without a login route: the seeded user (id 1), with a sign-in record as a login makes.
    await signInAs(agent, 1);
    expect((await agent.get('/dashboard').set('Accept', 'application/json')).status).toBe(200);
  });

  it('fails clearly for a client that keeps no cookies (test_session_transaction_needs_cookies)', async () => {
    const plain = request.agent(app.getHttpServer());
    await expect(sessionTransaction(plain, () => undefined)).rejects.toThrow(
      'Cookies are disabled',
    );
  });

  it('lets an exception in the change abort the transaction without storing it', async () => {
    const agent = sessionAgent(app);
    await expect(
      sessionTransaction(agent, (session) => {
        session.set('half', 'done');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await agent.get('/s')).body).toEqual({});
  });
});
