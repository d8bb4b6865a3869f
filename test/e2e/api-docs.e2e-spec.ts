import { INestApplication } from '@nestjs/common';
import type { OpenAPIObject, OperationObject } from '@nestjs/swagger';
import { Validator } from '@seriousme/openapi-schema-validator';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../../src/create-app';
import { useAppProcesses, waitForHttp } from '../support/app-process';
import { registeredRoutes, RouteKey, RouteRecorderModule } from '../support/registered-routes';
import { createTestApp, PLATFORMS, testConfig } from '../support/test-app';

/** Routes the document leaves out on purpose, each with its reason; any other route must be in it. */
const LEFT_OUT: Record<RouteKey, string> = {
  'GET /login': 'the HTML sign-in form; JSON clients POST /login',
  'POST /cart/clear': 'the HTML form spelling of DELETE /cart',
  'GET /assets/{name}': "the pages' stylesheet and icon: files, not an API",
};

/** The docs themselves (the UI page, its files, the document) are no API either. */
const isDocs = (key: RouteKey) => / \/docs(\/|$)/.test(key);

function operations(document: OpenAPIObject): Map<RouteKey, OperationObject> {
  return new Map(
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]): [RouteKey, OperationObject] => [
        `${method.toUpperCase()} ${path}`,
        op as OperationObject,
      ]),
    ),
  );
}

describe.each(PLATFORMS)('the OpenAPI document on %s', (platform) => {
  let app: INestApplication;
  let document: OpenAPIObject;
  let ops: Map<RouteKey, OperationObject>;

  beforeAll(async () => {
    app = await createApp(testConfig({ HTTP_ADAPTER: platform }), {
      logger: ['error', 'warn'],
      imports: [RouteRecorderModule],
    });
    const res = await request(app.getHttpServer()).get('/docs/openapi.json').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    document = JSON.parse(res.text) as OpenAPIObject;
    ops = operations(document);
  });
  afterAll(() => app?.close());

  it('is valid against the OpenAPI 3.1 schema', async () => {
    expect(document.openapi).toBe('3.1.0');
    const spec = document as unknown as Parameters<Validator['validate']>[0];
    expect(await new Validator().validate(spec)).toEqual({ valid: true });
  });

  it('has every route the router holds, but the ones left out on purpose', () => {
    const routes = registeredRoutes(app).filter((key) => !isDocs(key));
    const gets = new Set(routes.filter((k) => k.startsWith('GET ')).map((k) => k.slice(4)));
    // Fastify answers HEAD for each GET; OpenAPI documents the GET.
    const reachable = routes.filter((k) => !(k.startsWith('HEAD ') && gets.has(k.slice(5))));

    expect(reachable).toContain('POST /login');
    expect(reachable.filter((key) => !ops.has(key))).toEqual(Object.keys(LEFT_OUT).sort());
    expect([...ops.keys()].filter((key) => !reachable.includes(key))).toEqual([]);
  });

  it('takes each request body from the zod schema of its @ValidBody', () => {
    const body = ops.get('POST /register')?.requestBody as {
      content: Record<string, { schema: { properties: Record<string, object> } }>;
    };
    expect(body.content['application/json'].schema).toMatchObject({
      type: 'object',
      required: ['email', 'password'],
      properties: {
        email: { type: 'string', format: 'email', maxLength: 254 },
        password: { type: 'string', minLength: 8 },
      },
    });
    expect(ops.get('POST /cart/items')?.requestBody).toMatchObject({
      content: { 'application/json': { schema: { properties: { item: { maxLength: 100 } } } } },
    });
  });

  it('gives the session cookie to the routes behind LoginGuard, and the errors each route answers', () => {
    const { securitySchemes, schemas } = document.components ?? {};
    expect(securitySchemes?.session).toEqual(
      expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'session' }),
    );
    expect(schemas?.Error).toMatchObject({ required: ['error'] });
    const error = {
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };

    const dashboard = ops.get('GET /dashboard');
    expect(dashboard?.security).toEqual([{ session: [] }]);
    expect(dashboard?.responses[200]).toMatchObject({
      content: {
        'application/json': {
          schema: { properties: { user: { $ref: '#/components/schemas/User' } } },
        },
      },
    });
    expect(dashboard?.responses[401]).toMatchObject(error);

    const login = ops.get('POST /login');
    expect(login?.security).toBeUndefined();
    expect(Object.keys(login?.responses ?? {}).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '413',
      '429',
      '503',
    ]);
    expect(login?.responses[429]).toMatchObject({ ...error, headers: { 'Retry-After': {} } });
    expect(ops.get('POST /cart/items')?.responses[409]).toMatchObject(error);
    expect(ops.get('GET /healthz')?.responses[503]).toBeUndefined();
  });

  it('serves Swagger UI and its files at /docs, with inline styles allowed there only', async () => {
    const server = app.getHttpServer();
    const page = await request(server).get('/docs').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self';/);
    expect(page.headers['content-security-policy']).toMatch(/style-src 'self' 'unsafe-inline'/);
    for (const file of ['swagger-ui-bundle.js', 'swagger-ui-init.js', 'swagger-ui.css'])
      await request(server).get(`/docs/${file}`).expect(200);

    const home = await request(server).get('/').expect(200);
    expect(home.headers['content-security-policy']).toMatch(/style-src 'self';/);
  });
});

describe.each(PLATFORMS)('API_DOCS=false on %s', (platform) => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp({ HTTP_ADAPTER: platform, APP_API_DOCS: 'false' });
  });
  afterAll(() => app?.close());

  it.each(['/docs', '/docs/openapi.json', '/docs/swagger-ui-bundle.js'])(
    '%s is a 404 in the app format',
    async (path) => {
      const res = await request(app.getHttpServer())
        .get(path)
        .set('Accept', 'application/json')
        .expect(404);
      expect(res.body).toEqual({ error: expect.any(String) });
    },
  );
});

describe('the API docs of the built app in production', () => {
  const apps = useAppProcesses('api-docs');
  const production = { NODE_ENV: 'production', SECRET_KEY: randomBytes(32).toString('hex') };

  it('are off by default, and on with APP_API_DOCS=true', async () => {
    const off = await apps.start(production);
    const on = await apps.start({ ...production, APP_API_DOCS: 'true' });
    const url = (port: number, path: string) => `http://127.0.0.1:${port}${path}`;
    await Promise.all([off, on].map((app) => waitForHttp(url(app.port, '/healthz'))));

    expect((await fetch(url(off.port, '/docs/openapi.json'))).status).toBe(404);
    expect((await fetch(url(off.port, '/docs'))).status).toBe(404);
    const json = await fetch(url(on.port, '/docs/openapi.json'));
    expect(json.status).toBe(200);
    const document = (await json.json()) as OpenAPIObject;
    expect(document.components?.securitySchemes?.session).toMatchObject({
      name: '__Host-session',
    });
    expect((await fetch(url(on.port, '/docs'))).status).toBe(200);
  });
});
