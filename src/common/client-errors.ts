import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { errorPage } from '../views/pages';
import { wantsJson } from './negotiation';
import { REQUEST_ID_HEADER } from './request-id';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Answers a request that Node's HTTP parser refused (a bad method, bad chunking, raw bytes in the URL,
 * headers over the limit, a request that did not arrive within `REQUEST_TIMEOUT`) in the app's error
 * format, with the app's security headers (`headerLines`) and a new `X-Request-Id`, where Node would send
 * an empty 400 and Fastify its own JSON. Nothing of the request can be trusted, so the answer is JSON and the connection
 * is closed. Installed as the server's `clientError` listener (Fastify's `clientErrorHandler`), which
 * replaces Node's default.
 */
export function clientErrorAnswerer(
  headerLines: string,
): (error: Error & { code?: string }, socket: Socket) => void {
  return (error, socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, message] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'the request headers are too large']
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'the request did not arrive in time (REQUEST_TIMEOUT)']
          : [400, 'malformed HTTP request'];
    const body = JSON.stringify({ error: message });
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${headerLines}` +
          `${REQUEST_ID_HEADER}: ${randomUUID()}\r\n` +
          `Content-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy(error);
  };
}

/** Status, content type and body of an error the platform found before the app saw the request. */
export function platformErrorResponse(
  status: number,
  message: string,
  headers: IncomingHttpHeaders,
): { status: number; contentType: string; body: string } {
  return wantsJson(headers)
    ? {
        status,
        contentType: 'application/json; charset=utf-8',
        body: JSON.stringify({ error: message }),
      }
    : { status, contentType: 'text/html; charset=utf-8', body: errorPage(status, message) };
}
