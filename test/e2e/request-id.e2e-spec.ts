import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import request from 'supertest';
import { useAppProcesses, waitForHttp } from '../support/app-process';
import { createTestApp, PLATFORMS } from '../support/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const JSON_HEADERS = { Accept: 'application/json', 'Content-Type': 'application/json' };

/** Status and `X-Request-Id` of a GET whose path supertest would not send as it is. */
function rawGet(server: http.Server, path: string) {
  return new Promise<{ status: number; id: unknown }>((resolve, reject) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      const req = http.get({
        host: '127.0.0.1',
        port,
        path,
        headers: { accept: 'application/json' },
      });
      req.on('response', (res) => {
        res.resume();
        server.close();
        resolve({ status: res.statusCode ?? 0, id: res.headers['x-request-id'] });
      });
      req.on('error', reject);
    });
  });
}

describe.each(PLATFORMS)('X-Request-Id on %s', (platform) => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp({ HTTP_ADAPTER: platform });
  });
  afterAll(() => app?.close());

  it.each([
    ['a success', 'get', '/healthz', undefined, 200],
    ['a 404', 'get', '/no-such-route', undefined, 404],
    ['a 401', 'get', '/dashboard', undefined, 401],
    ['a bad field', 'post', '/login', { email: 'nope', password: 'x' }, 400],
    ['malformed JSON', 'post', '/login', '{"email":', 400],
  ] as const)('is on %s', async (_what, method, path, body, status) => {
    const res = await request(app.getHttpServer())[method](path).set(JSON_HEADERS).send(body);
    expect(res.status).toBe(status);
    expect(res.headers['x-request-id']).toMatch(UUID);
  });

  it('is on a URL the router cannot decode', async () => {
    const res = await rawGet(app.getHttpServer() as http.Server, '/%zz');
    expect(res.status).toBe(platform === 'fastify' ? 400 : 404);
    expect(res.id).toMatch(UUID);
  });

  it('echoes a safe incoming id, and replaces an unsafe one', async () => {
    const server = app.getHttpServer();
    const safe = await request(server).get('/healthz').set('X-Request-Id', 'lb-7f3a.91:x_2');
    expect(safe.headers['x-request-id']).toBe('lb-7f3a.91:x_2');
    for (const unsafe of ['has space', 'x'.repeat(65), '<script>', 'a,b']) {
      const res = await request(server).get('/healthz').set('X-Request-Id', unsafe);
      expect(res.headers['x-request-id']).toMatch(UUID);
    }
  });
});

describe.each(PLATFORMS)('the request id in log lines on %s', (platform) => {
  let app: INestApplication;
  let port: number;
  beforeAll(async () => {
    // Redis down: a login cannot be throttled, so it is a 503, which the exception filter logs.
    app = await createTestApp({
      HTTP_ADAPTER: platform,
      SESSION_STORE: 'redis',
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    await app.listen(0, '127.0.0.1');
    port = ((app.getHttpServer() as http.Server).address() as { port: number }).port;
  });
  afterAll(() => app?.close());

  it('stays with a request whose body arrives after its headers', async () => {
    const body = JSON.stringify({ email: 'late@example.com', password: 'pw' });
    const logged = captureStderr();
    try {
      const status = await slowPost(port, '/login', body, 'late-body-1');
      expect(status).toBe(503);
    } finally {
      logged.restore();
    }
    expect(logged.text()).toMatch(/\[late-body-1\] .*POST \/login: 503/);
  });
});

/** What is written to stderr (where errors are logged) until `restore()`. */
function captureStderr() {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  return { text: () => chunks.join(''), restore: () => spy.mockRestore() };
}

/** A JSON POST whose body is sent 100 ms after its headers, as a slow client's would be; its status. */
function slowPost(port: number, path: string, body: string, requestId: string) {
  return new Promise<number>((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      path,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'x-request-id': requestId,
      },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.flushHeaders();
    setTimeout(() => req.end(body), 100);
  });
}

describe.each(PLATFORMS)('the built app in production on %s', (platform) => {
  const apps = useAppProcesses('request-id');

  it('logs one JSON object per line, and the lines of a request carry its id', async () => {
    // Redis down: a login cannot be throttled, so it is a 503, which the exception filter logs.
    const app = await apps.start({
      NODE_ENV: 'production',
      SECRET_KEY: randomBytes(32).toString('hex'),
      HTTP_ADAPTER: platform,
      SESSION_STORE: 'redis',
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    const base = `http://127.0.0.1:${app.port}`;
    await waitForHttp(`${base}/healthz`);
    const login = await fetch(`${base}/login?next=/cart&token=s3cret-query`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, 'X-Request-Id': 'trace-503' },
      body: JSON.stringify({ email: 'someone@example.com', password: 'pw-secret-1' }),
    });
    expect(login.status).toBe(503);
    expect(login.headers.get('x-request-id')).toBe('trace-503');
    expect((await fetch(`${base}/docs`)).status).toBe(404);
    await app.stop();

    const output = app.stdout() + app.stderr();
    const records = output
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const failure = records.find((r) => String(r.message).startsWith('POST /login: 503'));
    expect(failure).toMatchObject({
      level: 'error',
      context: 'HttpException',
      requestId: 'trace-503',
    });
    const boot = records.find((r) => String(r.message).startsWith('listening on'));
    expect(boot).toBeDefined();
    expect(boot).not.toHaveProperty('requestId');
    expect(output).not.toContain('s3cret-query');
    expect(output).not.toContain('pw-secret-1');
  });
});
