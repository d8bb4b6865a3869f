import { INestApplication, Logger } from '@nestjs/common';
import { createSessionTestApp } from '../support/session-test-app';
import { sessionAgent } from '../support/session-transaction';
import { PLATFORMS } from '../support/test-app';

describe.each(PLATFORMS)('nested write without modified, on %s', (platform) => {
  let warn: jest.SpyInstance;
  const apps: INestApplication[] = [];
  const boot = async (env: string) => {
    const app = await createSessionTestApp({ HTTP_ADAPTER: platform, NODE_ENV: env });
    apps.push(app);
    return app;
  };

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  const sessionWarnings = (): unknown[][] =>
    (warn.mock.calls as unknown[][]).filter(([message]) =>
      String(message).includes('session.modified'),
    );

  it('is logged in development as one warning naming the route', async () => {
    const agent = sessionAgent(await boot('development'));
    await agent.post('/s/cart').send({ item: 'x' }).expect(201);
    expect(sessionWarnings()).toHaveLength(0);
    await agent.post('/s/cart/forgetful?ref=1').send({ item: 'y' }).expect(201);
    expect(sessionWarnings()).toHaveLength(1);
    expect(sessionWarnings()[0][0]).toContain('POST /s/cart/forgetful');
  });

  it('is not looked for outside development', async () => {
    const agent = sessionAgent(await boot('test'));
    await agent.post('/s/cart').send({ item: 'x' });
    await agent.post('/s/cart/forgetful').send({ item: 'y' }).expect(201);
    expect(sessionWarnings()).toHaveLength(0);
  });
});
