import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingHttpHeaders } from 'node:http';
import { SessionUnavailableError } from '../session/api/session.errors';
import { errorPage } from '../views/pages';
import { wantsJson } from './negotiation';
import { asciiLocation } from './safe-next';

/** An error that also sets response headers (`Retry-After` on 429). */
export interface WithHeaders {
  headers: Record<string, string>;
}

/** An error that sends HTML clients asking for a page (GET, HEAD) elsewhere (`/login?next=…`). */
export interface WithHtmlRedirect {
  htmlRedirect(path: string): string;
}

/**
 * Every error as SPEC §5 wants it: JSON clients get `{"error": "…"}` (plus `field` for a 400), HTML clients a
 * small page with the same status, or a redirect. Unknown errors are logged and become a plain 500.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpException');

  constructor(private readonly host: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<{ headers: IncomingHttpHeaders; url: string; method: string }>();
    const res = http.getResponse<unknown>();
    const adapter = this.host.httpAdapter;
    const { status, body } = describe(exception);
    if (status >= 500 && !(exception instanceof HttpException)) this.logger.error(exception);
    for (const [name, value] of Object.entries(headersOf(exception)))
      adapter.setHeader(res, name, value);
    if (wantsJson(req.headers)) {
      adapter.reply(res, body, status);
    } else if (isRedirecting(exception) && (req.method === 'GET' || req.method === 'HEAD')) {
      adapter.setHeader(res, 'Location', asciiLocation(exception.htmlRedirect(req.url)));
      adapter.reply(res, '', HttpStatus.FOUND);
    } else {
      adapter.setHeader(res, 'Content-Type', 'text/html; charset=utf-8');
      adapter.reply(res, errorPage(status, body.error), status);
    }
  }
}

function describe(exception: unknown): { status: number; body: { error: string; field?: string } } {
  if (!(exception instanceof HttpException)) {
    const clientError = asClientError(exception);
    if (clientError) return { status: clientError.status, body: { error: clientError.message } };
    if (exception instanceof SessionUnavailableError)
      return { status: 500, body: { error: exception.message } };
    return { status: 500, body: { error: 'internal server error' } };
  }
  const status = exception.getStatus();
  const response = exception.getResponse();
  if (typeof response === 'string') return { status, body: { error: response } };
  const { error, message, field } = response as {
    error?: unknown;
    message?: unknown;
    field?: unknown;
  };
  const text =
    typeof error === 'string' && message === undefined ? error : messageText(message, exception);
  return { status, body: typeof field === 'string' ? { error: text, field } : { error: text } };
}

/**
 * A 4xx raised below Nest by a body parser (http-errors on Express: `status`, `expose`; Fastify errors:
 * `statusCode`), e.g. a body over the limit (413) or malformed JSON (400).
 */
function asClientError(exception: unknown): { status: number; message: string } | null {
  if (!(exception instanceof Error)) return null;
  const { status, statusCode, expose } = exception as {
    status?: unknown;
    statusCode?: unknown;
    expose?: unknown;
  };
  const code = typeof status === 'number' ? status : statusCode;
  if (typeof code !== 'number' || code < 400 || code > 499 || expose === false) return null;
  return { status: code, message: exception.message };
}

function messageText(message: unknown, exception: HttpException): string {
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return exception.message;
}

function headersOf(exception: unknown): Record<string, string> {
  const headers = (exception as Partial<WithHeaders> | null)?.headers;
  return headers && typeof headers === 'object' ? headers : {};
}

function isRedirecting(exception: unknown): exception is WithHtmlRedirect {
  return typeof (exception as Partial<WithHtmlRedirect> | null)?.htmlRedirect === 'function';
}
