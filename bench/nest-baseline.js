'use strict';
/**
 * A bare NestJS-on-Fastify app: what the framework itself costs, with the same cookie crypto as the
 * app's cookie store (lib/cookie-crypto.js) and no other feature: no user lookup, security headers,
 * CSRF, session layer or exception filter. The routes are those of bench/baseline-server.js:
 *   POST /login?bytes=N, GET /dashboard (JSON, or a page for Accept: text/html), POST /cart/items,
 *   GET /healthz. Env: PORT, HOST (127.0.0.1), SECRET_KEY.
 * Plain JavaScript, so the bench compiles nothing: the decorators are applied as the functions they are.
 */
require('reflect-metadata');
const { Controller, Get, HttpCode, Module, Post, Req, Res } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { FastifyAdapter } = require('@nestjs/platform-fastify');
const { DASHBOARD_PAGE, loginCookie, seal, sessionOf, setCookie } = require('./lib/cookie-crypto');

class BenchController {
  healthz() {
    return { status: 'ok' };
  }

  login(req, reply) {
    reply.header('set-cookie', loginCookie(Number(req.query.bytes ?? 150)));
    return { user: { id: 1 } };
  }

  dashboard(req, reply) {
    const session = sessionOf(req.headers.cookie);
    if (!session || session.d.uid === undefined) {
      reply.status(401);
      return { error: 'login required' };
    }
    if ((req.headers.accept ?? '').includes('text/html')) {
      reply.type('text/html; charset=utf-8');
      return DASHBOARD_PAGE(session.d.uid);
    }
    return { user: { id: session.d.uid, email: 'bench@example.com' } };
  }

  addItem(req, reply) {
    const session = sessionOf(req.headers.cookie);
    const item = req.body?.item;
    if (!session || typeof item !== 'string') {
      reply.status(400);
      return {};
    }
    const cart = Array.isArray(session.d.cart) ? session.d.cart : [];
    cart.push(item);
    session.d.cart = cart;
    reply.header('set-cookie', setCookie(seal(JSON.stringify(session))));
    return { items: cart, count: cart.length };
  }
}

/** `@Get(path) method(@Req() req, @Res({ passthrough: true }) reply)`, written as calls. */
function route(verb, path, method, status) {
  const proto = BenchController.prototype;
  Req()(proto, method, 0);
  Res({ passthrough: true })(proto, method, 1);
  const decorators = [verb(path), ...(status ? [HttpCode(status)] : [])];
  Reflect.decorate(decorators, proto, method, Object.getOwnPropertyDescriptor(proto, method));
}
route(Get, 'healthz', 'healthz');
route(Post, 'login', 'login', 200);
route(Get, 'dashboard', 'dashboard');
route(Post, 'cart/items', 'addItem', 201);
Reflect.decorate([Controller()], BenchController);

class BenchModule {}
Reflect.decorate([Module({ controllers: [BenchController] })], BenchModule);

async function main() {
  const app = await NestFactory.create(BenchModule, new FastifyAdapter(), { logger: false });
  await app.listen(Number(process.env.PORT ?? 3002), process.env.HOST ?? '127.0.0.1');
  process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
