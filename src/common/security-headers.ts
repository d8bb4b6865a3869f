import helmet, { HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

type Operation = { name: string; value: string | number | readonly string[] } | { name: string };

/**
 * helmet's defaults, with styles from the app's own origin only (helmet allows `'unsafe-inline'` and any
 * `https:` stylesheet): the pages link `/assets/app.css` and carry no `<style>` or `style=` (a test checks).
 */
export const APP_HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: { directives: { styleSrc: ["'self'"] } },
};

/**
 * The app's headers with inline styles allowed, for the API docs under `/docs` only (`installApiDocs`):
 * Swagger UI's page carries `<style>` blocks and `style=` attributes. Its scripts are files, so scripts stay
 * `'self'`; the app's own pages never get this policy.
 */
export const DOCS_HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: { directives: { styleSrc: ["'self'", "'unsafe-inline'"] } },
};

type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/**
 * helmet's security headers, worked out once at boot. With options that do not depend on the request
 * (helmet's defaults; no per-request CSP nonce), helmet sets the same headers on every response, yet its
 * chain of middlewares rebuilds them each time. This runs helmet once against a recorder and replays what it did: the same
 * `setHeader` and `removeHeader` calls (`X-Powered-By`), in the same order. Options whose CSP directives
 * are functions (nonces) are request-dependent: use `helmet(options)` itself as middleware for those.
 */
export function securityHeaders(options?: HelmetOptions): Middleware {
  if (hasRequestDependentDirective(options)) {
    throw new Error(
      'securityHeaders() would freeze a per-request CSP value (a nonce) into every response: ' +
        'use helmet(options) as the middleware instead',
    );
  }
  const operations: Operation[] = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) =>
      operations.push({ name, value }),
    removeHeader: (name: string) => operations.push({ name }),
  };
  let finished = false;
  const fakeRequest = { headers: {}, method: 'GET', url: '/' } as IncomingMessage;
  helmet(options)(fakeRequest, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error instanceof Error) throw error;
    if (error) throw new Error('helmet failed at boot');
    finished = true;
  });
  if (!finished)
    throw new Error('helmet did not finish synchronously: its headers cannot be precomputed');
  return (_req, res, next) => {
    for (const operation of operations) {
      if ('value' in operation) res.setHeader(operation.name, operation.value);
      else res.removeHeader(operation.name);
    }
    next();
  };
}

function hasRequestDependentDirective(options?: HelmetOptions): boolean {
  const csp = options?.contentSecurityPolicy;
  if (!csp || typeof csp !== 'object' || !csp.directives) return false;
  return Object.values(csp.directives).some(
    (value) =>
      typeof value === 'function' ||
      (Array.isArray(value) && value.some((part) => typeof part === 'function')),
  );
}

/**
 * The headers `middleware` sets, as raw `Name: value\r\n` lines, for answers written straight to a socket
 * (`answerClientError`), which never pass through a response object.
 */
export function rawHeaderLines(middleware: Middleware): string {
  const lines: string[] = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      for (const one of Array.isArray(value) ? value : [value])
        lines.push(`${name}: ${String(one)}\r\n`);
    },
    removeHeader: () => undefined,
  };
  middleware({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  return lines.join('');
}
