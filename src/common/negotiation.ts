import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';

/** JSON when the request sends JSON or accepts `application/json`; HTML pages otherwise. */
export function wantsJson(headers: IncomingHttpHeaders): boolean {
  return isJsonBody(headers) || (headers.accept ?? '').toLowerCase().includes('application/json');
}

/** A JSON body needs a CORS preflight, so a cross-site page cannot send one: such requests skip CSRF. */
export function isJsonBody(headers: IncomingHttpHeaders): boolean {
  const type = (headers['content-type'] ?? '').toLowerCase();
  return /^application\/([\w.+-]+\+)?json\b/.test(type);
}

/** Request headers on either platform (Express and Fastify both expose Node's `headers`). */
export function headersOf(context: ExecutionContext): IncomingHttpHeaders {
  return context.switchToHttp().getRequest<{ headers: IncomingHttpHeaders }>().headers;
}

/** `handler(@WantsJson() json: boolean)`: whether to answer with JSON or an HTML page. */
export const WantsJson = createParamDecorator((_: unknown, context: ExecutionContext) =>
  wantsJson(headersOf(context)),
);

/** Where a request comes from: its address (behind `TRUST_PROXY`, from `X-Forwarded-For`) and `User-Agent`. */
export interface RequestClient {
  address: string;
  userAgent: string | undefined;
}

/** `handler(@Client() client: RequestClient)`: a sign-in's address and device. */
export const Client = createParamDecorator(
  (_: unknown, context: ExecutionContext): RequestClient => {
    const request = context
      .switchToHttp()
      .getRequest<{ ip?: string; headers: IncomingHttpHeaders }>();
    return { address: request.ip ?? 'unknown', userAgent: request.headers['user-agent'] };
  },
);

/** The client's address as the platform sees it (behind `TRUST_PROXY`, from `X-Forwarded-For`). */
export const ClientAddress = createParamDecorator(
  (_: unknown, context: ExecutionContext) =>
    context.switchToHttp().getRequest<{ ip?: string }>().ip ?? 'unknown',
);
