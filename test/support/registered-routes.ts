import { Injectable, INestApplication, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/** A route as the HTTP platform's router holds it: `GET /assets/{name}` (OpenAPI's spelling of params). */
export type RouteKey = `${string} ${string}`;

interface FastifyRoute {
  method: string | string[];
  url: string;
}

const recorded = new WeakMap<object, RouteKey[]>();

/**
 * Records every route Fastify registers, through its `onRoute` hook, added while Nest builds the module
 * (before `init()` registers the controllers' routes and after `NestFactory.create` made the instance).
 */
@Injectable()
class FastifyRouteRecorder {
  constructor(host: HttpAdapterHost) {
    const adapter = host.httpAdapter;
    if (adapter.getType() !== 'fastify') return;
    const instance = adapter.getInstance<{
      addHook(name: 'onRoute', hook: (route: FastifyRoute) => void): void;
    }>();
    const routes: RouteKey[] = [];
    recorded.set(instance, routes);
    instance.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) routes.push(routeKey(method, route.url));
    });
  }
}

/** Add to `createApp`'s `imports` to read `registeredRoutes(app)` after. */
@Module({ providers: [FastifyRouteRecorder] })
export class RouteRecorderModule {}

/** Every route the platform's router holds, deduplicated and sorted: what a client can reach. */
export function registeredRoutes(app: INestApplication): RouteKey[] {
  const adapter = app.getHttpAdapter();
  const instance = adapter.getInstance() as object;
  const routes =
    adapter.getType() === 'fastify'
      ? (recorded.get(instance) ?? [])
      : expressRoutes(instance as ExpressApp);
  return [...new Set(routes)].sort();
}

interface ExpressApp {
  router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
}

function expressRoutes(app: ExpressApp): RouteKey[] {
  return app.router.stack.flatMap(({ route }) =>
    route ? Object.keys(route.methods).map((method) => routeKey(method, route.path)) : [],
  );
}

function routeKey(method: string, path: string): RouteKey {
  return `${method.toUpperCase()} ${path.replace(/:(\w+)/g, '{$1}')}`;
}
