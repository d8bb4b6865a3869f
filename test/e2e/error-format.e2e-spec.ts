import * as net from 'node:net';
import { csrfFrom, SEED_EMAIL, SEED_PASSWORD } from '../support/auth-setup';
import { HostileTarget, startHostileTarget } from '../support/reliability/apps';
import { isOnSite } from '../support/reliability/hostile-redirects';
import { cookiesOf, jsonOf } from '../support/reliability/http-client';
import { PLATFORMS } from '../support/test-app';

/** `next` values that once gave a 500 (U+2215), raw Latin-1 bytes (é), or could inject a header. */
const HOSTILE_NEXT = [
  '/\u2215x',
  '/café',
  '/\uff0fevil.example',
  '/ok?q=é#frag',
  '/\r\nSet-Cookie: injected=1',
  '/%0d%0aX-Injected: 1',
  '/a\u0000b',
  '/\u2028x',
  '/\ud800',
  '//evil.example',
];

/** Requests the HTTP parser or the router refuses before any app code runs. */
const MALFORMED: [string, string | Buffer][] = [
  ['an unknown method', 'FOO / HTTP/1.1\r\nHost: x\r\n\r\n'],
  [
    'broken chunked encoding',
    'POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
  ],
  [
    'a raw byte in the URL',
    Buffer.concat([
      Buffer.from('GET /dashboard?x='),
      Buffer.of(0xe9),
      Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n'),
    ]),
  ],
  [
    'a URL that does not decode',
    'GET /%zz HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n',
  ],
  ['a URL that does not decode, from a browser', 'GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['a header line without a colon', 'GET / HTTP/1.1\r\nHost: x\r\nbroken\r\n\r\n'],
];

/** Status, headers and body of one raw request on a fresh connection. */
function rawExchange(port: number, bytes: string | Buffer) {
  return new Promise<{ status: number; head: string; body: string }>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(bytes));
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head, ...rest] = data.split('\r\n\r\n');
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0),
        head,
        body: rest.join('\r\n\r\n'),
      });
    });
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
  });
}

describe.each(PLATFORMS)('error format and redirect targets on %s', (platform) => {
  let target: HostileTarget;
  beforeAll(async () => {
    target = await startHostileTarget(platform, 'cookie');
  });
  afterAll(() => target?.close());

  it.each(HOSTILE_NEXT)(
    'a form login with next=%j redirects on-site with an ASCII Location',
    async (next) => {
      const page = await target.client.send({ path: '/login' });
      const cookie = cookiesOf(page);
      const form = new URLSearchParams({
        email: SEED_EMAIL,
        password: SEED_PASSWORD,
        _csrf: csrfFrom(page.text),
        next: next.isWellFormed() ? next : 'x',
      }).toString();
      // URLSearchParams cannot carry a lone surrogate: send its (invalid) UTF-8 bytes by hand.
      const body = next.isWellFormed() ? form : form.replace('next=x', 'next=%2F%ED%A0%80');

      const res = await target.client.send({
        method: 'POST',
        path: '/login',
        headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
        body,
      });

      expect(res.status).toBe(302);
      expect(isOnSite(res.headers.location)).toBe(true);
      expect(res.headers['x-injected']).toBeUndefined();
      expect(String(res.headers['set-cookie'])).not.toContain('injected');
    },
  );

  it.each(MALFORMED)(
    'answers %s in the app error format, never the platform default',
    async (_name, bytes) => {
      const res = await rawExchange(target.client.port, bytes);

      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      if (/content-type: application\/json/i.test(res.head)) {
        const body = JSON.parse(res.body) as Record<string, unknown>;
        expect(Object.keys(body)).toEqual(['error']);
        expect(typeof body.error).toBe('string');
      } else {
        expect(res.head).toMatch(/content-type: text\/html/i);
        expect(res.body).toContain('<p class="error">');
      }
      expect((await target.client.send({ path: '/healthz' })).status).toBe(200);
    },
  );

  it('answers an unknown route in the app format, as JSON and as a page', async () => {
    const json = await target.client.send({
      path: '/no-such-route',
      headers: { Accept: 'application/json' },
    });
    expect(json.status).toBe(404);
    expect(Object.keys(jsonOf(json) as object)).toEqual(['error']);
    const page = await target.client.send({ path: '/no-such-route' });
    expect(page.status).toBe(404);
    expect(page.text).toContain('<p class="error">');
  });
});
