import { INestApplication, Logger } from '@nestjs/common';
import request from 'supertest';
import { sessionAgent, sessionTransaction } from '../support/session-transaction';
import { createSessionTestApp, sessionSetCookie } from '../support/session-test-app';
import { PLATFORMS } from '../support/test-app';

const MESSAGE = 'The session is unavailable because no secret key was set';

// Flask's test_missing_session, on the cookie and memory stores.
describe.each(PLATFORMS)('no SECRET_KEY on %s', (platform) => {
  describe.each(['cookie', 'memory'])('%s store', (store) => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await createSessionTestApp({
        HTTP_ADAPTER: platform,
        SESSION_STORE: store,
        SECRET_KEY: undefined,
      });
    });
    afterAll(async () => {
      await app.close();
    });

    it('reads an empty session and throws on every write, naming the missing key', async () => {
      const res = await request(app.getHttpServer())
        .post('/s/write-without-key')
        .set('Cookie', 'session=whatever')
        .expect(200);
      expect(res.body.read).toBeUndefined();
      expect(res.body.error).toContain(MESSAGE);
      expect(sessionSetCookie(res.headers)).toBeUndefined();
      expect((await request(app.getHttpServer()).get('/s').expect(200)).body).toEqual({});
    });

    it('answers a write that is not caught with a 500, never with a lost write', async () => {
      const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      try {
        await request(app.getHttpServer()).post('/s/set').send({ a: 1 }).expect(500);
        expect(String(error.mock.calls[0]?.[0])).toContain(MESSAGE);
      } finally {
        error.mockRestore();
      }
    });

    it('refuses a session transaction (Flask: "Session backend did not open a session")', async () => {
      await expect(sessionTransaction(sessionAgent(app), () => undefined)).rejects.toThrow(
        'Session backend did not open a session',
      );
    });
  });
});
