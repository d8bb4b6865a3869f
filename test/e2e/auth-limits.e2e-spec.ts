import { INestApplication } from '@nestjs/common';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { LIMITS } from '../../src/auth/login-throttle.service';
import { uniqueEmail } from '../support/auth-setup';
import { describeWithPostgres, POSTGRES_URL, testDatabases } from '../support/database';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestApp, PLATFORMS } from '../support/test-app';

describe.each(PLATFORMS)('login throttling per client address on %s', (platform) => {
  let app: INestApplication;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'limits-'));
    app = await createTestApp({
      HTTP_ADAPTER: platform,
      TRUST_PROXY: 'true',
      DATABASE_URL: `sqlite:${path.join(dir, 'app.sqlite')}`,
    });
  });

  afterAll(async () => {
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const failFrom = (address: string) =>
    request(app.getHttpServer())
      .post('/login')
      .set('X-Forwarded-For', address)
      .send({ email: uniqueEmail('spray'), password: 'wrong-password' });

  it('blocks an address after repeated failures over many emails, behind TRUST_PROXY, and no other', async () => {
    for (let i = 0; i < LIMITS.address.points; i++) await failFrom('203.0.113.7').expect(401);
    const blocked = await failFrom('203.0.113.7').expect(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    await failFrom('203.0.113.8').expect(401);
  });
});

describe.each(PLATFORMS)('GET /readyz when the session store is down, on %s', (platform) => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp({
      HTTP_ADAPTER: platform,
      SESSION_STORE: 'redis',
      REDIS_URL: 'redis://127.0.0.1:1',
      DATABASE_URL: 'sqlite::memory:',
    });
  });

  afterAll(async () => app?.close());

  it('answers 503 naming the session store, while /healthz stays 200', async () => {
    const res = await request(app.getHttpServer()).get('/readyz').expect(503);
    expect(res.body.status).toBe('unavailable');
    expect(res.body.checks.database).toBe('ok');
    expect(res.body.error).toMatch(/session store \(Redis/);
    await request(app.getHttpServer()).get('/healthz').expect(200, { status: 'ok' });
  });
});

describeWithPostgres('GET /readyz when the database goes away', () => {
  let app: INestApplication;
  const target = new URL(POSTGRES_URL);
  const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
  const dbs = testDatabases('postgres');

  beforeAll(async () => {
    await proxy.start();
    const url = new URL(await dbs.fresh());
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    app = await createTestApp({ DATABASE_URL: url.toString() });
  });

  afterAll(async () => {
    await app?.close();
    await proxy.stop();
  });

  it('answers 503 naming the database, and 200 again when it is back', async () => {
    await request(app.getHttpServer()).get('/readyz').expect(200);
    await proxy.stop();
    const res = await request(app.getHttpServer()).get('/readyz').expect(503);
    expect(res.body.error).toMatch(/^not ready: database: /);
    expect(res.body.checks.sessionStore).toBe('ok');
    await proxy.start();
    await request(app.getHttpServer()).get('/readyz').expect(200);
  });
});
