import helmet from 'helmet';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { securityHeaders } from './security-headers';

function response(): { req: IncomingMessage; res: ServerResponse } {
  const req = new IncomingMessage(new Socket());
  req.method = 'GET';
  req.url = '/dashboard';
  const res = new ServerResponse(req);
  // What Express sets before any middleware runs; helmet removes it.
  res.setHeader('X-Powered-By', 'Express');
  return { req, res };
}

function headersAfter(middleware: ReturnType<typeof securityHeaders>): Record<string, unknown> {
  const { req, res } = response();
  let nextCalls = 0;
  middleware(req, res, () => nextCalls++);
  expect(nextCalls).toBe(1);
  return res.getHeaders();
}

describe('securityHeaders', () => {
  it('sets exactly the headers helmet itself sets, and removes X-Powered-By as helmet does', () => {
    const expected = headersAfter(helmet());
    const replayed = headersAfter(securityHeaders());

    expect(replayed).toEqual(expected);
    expect(replayed['x-powered-by']).toBeUndefined();
    expect(replayed['content-security-policy']).toContain("default-src 'self'");
    expect(Object.keys(replayed).length).toBeGreaterThan(10);
  });

  it('follows the options it is given, like helmet', () => {
    const options = { frameguard: { action: 'deny' as const }, hsts: false };

    const replayed = headersAfter(securityHeaders(options));

    expect(replayed).toEqual(headersAfter(helmet(options)));
    expect(replayed['x-frame-options']).toBe('DENY');
    expect(replayed['strict-transport-security']).toBeUndefined();
  });

  it('refuses a per-request CSP value (a nonce), which replaying would freeze', () => {
    const nonce = () => "'nonce-abc'";
    const options = { contentSecurityPolicy: { directives: { scriptSrc: ["'self'", nonce] } } };

    expect(() => securityHeaders(options)).toThrow(/per-request CSP value/);
  });

  it('refuses, at boot, options that helmet itself rejects', () => {
    expect(() =>
      securityHeaders({ contentSecurityPolicy: { directives: { 'bad name': [] } } }),
    ).toThrow();
  });
});
