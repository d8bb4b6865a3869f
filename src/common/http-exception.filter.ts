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
import { errorPage } from '../views/pages';
import type { ErrorBody } from './error-body';
import type { WithHeaders, WithHtmlRedirect } from './http-errors';
import { wantsJson } from './negotiation';
import { asciiLocation } from './safe-next';

/**
 * Every error in the app's one format: JSON clients get `{"error": "…"}` (plus `field` for a 400), HTML clients a
 * small page with the same status, or a redirect. Unknown errors become a plain 500. Every 5xx is logged
 * with the request's method and path (never its query, which may carry a token) and the cause.
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
    if (status >= 500) this.logServerError(req, status, body.error, exception);
    for (const [name, value] of Object.entries(headersOf(exception)))
      adapter.setHeader(res, name, value);
    if (wantsJson(req.headers)) {
      adapter.reply(res, body, status);
    } else if (
      isRedirecting(exception) &&
      (req.method === 'GET' || req.method === 'HEAD' || exception.redirectsPosts === true)
    ) {
      adapter.setHeader(res, 'Location', asciiLocation(exception.htmlRedirect(req.url)));
      adapter.reply(res, '', HttpStatus.FOUND);
    } else {
      adapter.setHeader(res, 'Content-Type', 'text/html; charset=utf-8');
      adapter.reply(res, errorPage(status, body.error), status);
    }
  }

  private logServerError(
    req: { method: string; url: string },
    status: number,
    message: string,
    exception: unknown,
  ): void {
    const path = req.url.split('?', 1)[0];
    const line = `${req.method} ${path}: ${status} ${message}${causeOf(exception)}`;
    // An unexpected error keeps its stack; an expected 503 (store or database down) is one line.
    if (exception instanceof HttpException) this.logger.error(line);
    else this.logger.error(line, exception instanceof Error ? exception.stack : undefined);
  }
}

/** `(cause: …)` of an error that has one: what the store or database said, e.g. ECONNREFUSED. */
function causeOf(exception: unknown): string {
  const cause = exception instanceof Error ? exception.cause : undefined;
  if (cause === undefined) return '';
  return ` (cause: ${cause instanceof Error ? cause.message : JSON.stringify(cause)})`;
}

function describe(exception: unknown): { status: number; body: ErrorBody } {
  if (!(exception instanceof HttpException)) {
    const told = ownStatus(exception);
    if (told) return { status: told.status, body: { error: told.message } };
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
 * An error from outside Nest's exceptions that names its own status, as the http-errors convention has it
 * (`status` or Fastify's `statusCode`, and `expose`): a body parser's 4xx, e.g. a body over the limit (413)
 * or malformed JSON (400), or a 5xx whose message is meant for the client (`expose: true`).
 */
function ownStatus(exception: unknown): { status: number; message: string } | null {
  if (!(exception instanceof Error)) return null;
  const { status, statusCode, expose } = exception as {
    status?: unknown;
    statusCode?: unknown;
    expose?: unknown;
  };
  const code = typeof status === 'number' ? status : statusCode;
  if (typeof code !== 'number' || code < 400 || code > 599) return null;
  if (code >= 500 ? expose !== true : expose === false) return null;
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
