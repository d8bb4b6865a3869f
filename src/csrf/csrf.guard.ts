import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { IncomingHttpHeaders } from 'node:http';
import { rawHttp } from '../session/index';
import { CsrfService } from './csrf.service';
import { isJsonBody } from '../common/negotiation';

/** The metadata `@CsrfExempt()` sets; the OpenAPI document reads it too. */
export const CSRF_EXEMPT = Symbol('csrfExempt');

/**
 * Marks a controller or handler whose POSTs need no CSRF token: only for requests no browser form sends
 * with the user's cookies (machine-to-machine webhooks, test-only routes).
 */
export const CsrfExempt = () => SetMetadata(CSRF_EXEMPT, true);

export class CsrfTokenError extends ForbiddenException {
  constructor() {
    super('invalid or missing CSRF token: reload the page and submit the form again');
  }
}

/**
 * Every POST that is not JSON (a form post, or any other body a cross-site page can send without a CORS
 * preflight) must carry the form's CSRF token in `_csrf` or `X-CSRF-Token` (`CsrfService`); else 403. JSON
 * bodies and other methods (PUT, PATCH, DELETE) need a preflight, and CORS is off, so a cross-site page
 * cannot send them.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(
    private readonly csrf: CsrfService,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context
      .switchToHttp()
      .getRequest<{ method: string; headers: IncomingHttpHeaders; body?: unknown }>();
    if (request.method !== 'POST' || isJsonBody(request.headers) || this.isExempt(context))
      return true;
    const token = bodyToken(request.body) ?? request.headers['x-csrf-token'];
    if (this.csrf.isValid(rawHttp(context).req, token)) return true;
    throw new CsrfTokenError();
  }

  private isExempt(context: ExecutionContext): boolean {
    return (
      this.reflector.getAllAndOverride<boolean>(CSRF_EXEMPT, [
        context.getHandler(),
        context.getClass(),
      ]) === true
    );
  }
}

function bodyToken(body: unknown): unknown {
  return body !== null && typeof body === 'object'
    ? (body as { _csrf?: unknown })._csrf
    : undefined;
}
