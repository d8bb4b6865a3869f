import type { INestApplication } from '@nestjs/common';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import type { OpenAPIObject, OperationObject, ResponseObject } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { IS_PUBLIC } from '../auth/public.decorator';
import { REQUEST_ID_HEADER } from '../common/request-id';
import { CSRF_EXEMPT } from '../csrf/csrf.guard';
import { DEFAULT_SKIP_PATHS, pathMatcher } from '../session';
import { RETRY_AFTER } from './openapi.decorators';

/** The name of the session cookie's security scheme in `components.securitySchemes`. */
export const SESSION_SECURITY = 'session';

const ERROR_CONTENT = {
  'application/json': { schema: { $ref: '#/components/schemas/Error' } },
};

/** What the app-wide guards decide about a route, read from the same metadata they read. */
interface RouteFacts {
  isPublic: boolean;
  csrfExempt: boolean;
}

/** A response every route of one kind can give, unless the route documents that status itself. */
interface DefaultError {
  status: number;
  description: string;
  retryAfter?: boolean;
  appliesTo: (
    operation: OperationObject,
    method: string,
    path: string,
    facts: RouteFacts,
  ) => boolean;
}

const skipsSession = pathMatcher(DEFAULT_SKIP_PATHS);

const DEFAULT_ERRORS: DefaultError[] = [
  {
    status: 400,
    description: 'The body is malformed or a field is invalid; `field` names it',
    appliesTo: (operation) => operation.requestBody !== undefined,
  },
  {
    status: 401,
    description: 'Not signed in (`{"error":"login required"}`), or the session was revoked',
    appliesTo: (_operation, _method, _path, facts) => !facts.isPublic,
  },
  {
    status: 403,
    description:
      'A form post without a valid `_csrf` token (field or `X-CSRF-Token` header). JSON bodies are exempt',
    appliesTo: (_operation, method, _path, facts) => method === 'post' && !facts.csrfExempt,
  },
  {
    status: 413,
    description:
      'The body is over 100 KiB, or the session would outgrow `MAX_COOKIE_SIZE` / `MAX_SESSION_BYTES`',
    appliesTo: (operation) => operation.requestBody !== undefined,
  },
  {
    status: 503,
    description:
      'The session store (or the database) is unreachable, or this session is busy with other writes',
    retryAfter: true,
    appliesTo: (_operation, _method, path) => !skipsSession(path),
  },
];

/**
 * The responses and security each route gets by its kind, so that a new route is documented by the
 * decorators it already has: `LoginGuard`'s `@Public()` (else the session cookie and a 401), a body
 * (`@ValidBody`: 400 naming the field, 413), a POST (403 for forms without CSRF token), the session
 * layer (503). A status the route documents itself (`@ErrorResponse`) wins. Every response carries
 * `X-Request-Id`, and a success response without a description gets its status text.
 */
export function applyRouteDefaults(app: INestApplication, document: OpenAPIObject): OpenAPIObject {
  const facts = routeFacts(app);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      // A route the facts miss is treated as LoginGuard treats it: closed.
      const route = facts.get(operation.operationId ?? '') ?? {
        isPublic: false,
        csrfExempt: false,
      };
      if (!route.isPublic) operation.security = [{ [SESSION_SECURITY]: [] }];
      for (const error of DEFAULT_ERRORS) {
        if (operation.responses[error.status] || !error.appliesTo(operation, method, path, route))
          continue;
        operation.responses[error.status] = {
          description: error.description,
          content: ERROR_CONTENT,
          ...(error.retryAfter ? { headers: { ...RETRY_AFTER } } : {}),
        };
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        describeResponse(status, response as ResponseObject);
      }
    }
  }
  document.components = {
    ...document.components,
    headers: { ...document.components?.headers, [REQUEST_ID_HEADER]: REQUEST_ID },
  };
  return document;
}

const REQUEST_ID = {
  description:
    "The request's id, as sent in `X-Request-Id` when it is a short token, else a new UUID; every log line of the request carries it",
  schema: { type: 'string' as const },
};

function describeResponse(status: string, response: ResponseObject): void {
  if (response.description === '') response.description = STATUS_CODES[status] ?? status;
  response.headers = {
    ...response.headers,
    [REQUEST_ID_HEADER]: { $ref: `#/components/headers/${REQUEST_ID_HEADER}` },
  };
}

/**
 * Each handler's `@Public()` and `@CsrfExempt()`, by the operationId @nestjs/swagger gives it
 * (`<Controller>_<method>`), found in Nest's own container as the guards find them.
 */
function routeFacts(app: INestApplication): Map<string, RouteFacts> {
  const reflector = app.get(Reflector);
  const scanner = new MetadataScanner();
  const facts = new Map<string, RouteFacts>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype, instance } of module.controllers.values()) {
      if (!metatype || !instance) continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, () => unknown>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const targets = [prototype[name], metatype];
        facts.set(`${metatype.name}_${name}`, {
          isPublic: reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true,
          csrfExempt: reflector.getAllAndOverride<boolean>(CSRF_EXEMPT, targets) === true,
        });
      }
    }
  }
  return facts;
}
