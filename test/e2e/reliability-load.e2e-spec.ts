import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppProcess, startApp, waitForHttp } from '../support/app-process';
import { uniqueEmail } from '../support/auth-setup';
import { signIn, startHostileTarget, HostileTarget } from '../support/reliability/apps';
import { jsonOf, RawClient, RawResponse, setCookiePair } from '../support/reliability/http-client';
import { PROFILE } from '../support/reliability/profile';
import { deleteKeys, describeWithRedis, uniquePrefix } from '../support/redis';
import { PLATFORMS } from '../support/test-app';

const PRODUCTION_KEY = '9f2c4e1a7b3d5f60812a4c6e8b0d2f4657a9c1e3b5d7f9021436587a9bcdef01';
const JSON_HEADERS = { Accept: 'application/json', 'Content-Type': 'application/json' };

/** One simulated user: its own connection and cookie, updated from every `Set-Cookie` like a browser. */
class Visitor {
  readonly client: RawClient;
  cookie = '';
  readonly statuses: number[] = [];

  constructor(
    port: number,
    readonly email: string,
    /** Where this user connects from (through the one trusted proxy hop): limits count per address. */
    private readonly address: string,
  ) {
    this.client = new RawClient(port, 60_000);
  }

  async call(method: 'GET' | 'POST', path: string, body?: object): Promise<RawResponse> {
    const res = await this.client.send({
      method,
      path,
      headers: {
        ...JSON_HEADERS,
        'X-Forwarded-For': this.address,
        ...(this.cookie ? { Cookie: this.cookie } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    this.statuses.push(res.status);
    // The built app runs as production: its cookie is `__Host-session`.
    this.cookie = setCookiePair(res, '__Host-session') ?? this.cookie;
    return res;
  }
}

/** Register, log in, add `items` one after another, read the cart and the dashboard. */
async function visit(visitor: Visitor, items: number): Promise<{ cart: unknown; user: unknown }> {
  const password = 'long-enough-password';
  await visitor.call('POST', '/register', { email: visitor.email, password });
  await visitor.call('POST', '/login', { email: visitor.email, password });
  for (let i = 0; i < items; i++)
    await visitor.call('POST', '/cart/items', { item: `${visitor.email}#${i}` });
  const cart = jsonOf(await visitor.call('GET', '/cart'));
  const user = (jsonOf(await visitor.call('GET', '/dashboard')) as { user?: unknown })?.user;
  visitor.client.close();
  return { cart, user };
}

function loadSuite(store: 'cookie' | 'redis', redisUrl?: string): void {
  const { clients, items } = PROFILE;
  let app: AppProcess;
  let dir: string;
  const prefix = uniquePrefix('reliability-load');

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reliability-load-'));
    app = await startApp({
      NODE_ENV: 'production',
      SECRET_KEY: PRODUCTION_KEY,
      INSTANCE_PATH: dir,
      SESSION_STORE: store,
      TRUST_PROXY: '1',
      ...(redisUrl ? { REDIS_URL: redisUrl, APP_SESSION_KEY_PREFIX: prefix } : {}),
    });
    await waitForHttp(`http://127.0.0.1:${app.port}/healthz`);
  });
  afterAll(async () => {
    await app?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    if (redisUrl) await deleteKeys(redisUrl, prefix);
  });

  it(`${clients} concurrent users × ${items} items: every cart exact and in order, no 5xx, no leaks`, async () => {
    const visitors = Array.from(
      { length: clients },
      (_, c) => new Visitor(app.port, uniqueEmail(`load-${c}`), `10.20.${c >> 8}.${c & 255}`),
    );
    const results = await Promise.all(visitors.map((v) => visit(v, items)));
    const statuses = visitors.flatMap((v) => v.statuses);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    results.forEach(({ cart, user }, c) => {
      const email = visitors[c].email;
      expect(cart).toEqual({ items: Array.from({ length: items }, (_, i) => `${email}#${i}`) });
      expect(user).toEqual({ id: expect.any(Number), email });
    });
    expect(statuses).toHaveLength(clients * (items + 4));
  }, 600_000);
}

describe('reliability: load on the built production app, cookie store', () => loadSuite('cookie'));
describeWithRedis('reliability: load on the built production app, redis store', (url) =>
  loadSuite('redis', url),
);

/** Fifty parallel writes to one session through the real route lose nothing (one process). */
describeWithRedis('reliability: parallel writes to one Redis session', () => {
  describe.each(PLATFORMS)('on %s', (platform) => {
    let target: HostileTarget;
    beforeAll(async () => {
      target = await startHostileTarget(platform, 'redis');
    });
    afterAll(() => target?.close());

    it('fifty parallel POST /cart/items with one cookie leave fifty items', async () => {
      const { cookie } = await signIn(target.client);
      const headers = { ...JSON_HEADERS, Cookie: cookie };
      const writes = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          target.client.send({
            method: 'POST',
            path: '/cart/items',
            headers,
            body: JSON.stringify({ item: `p${i}` }),
          }),
        ),
      );
      expect(writes.map((w) => w.status)).toEqual(Array(50).fill(201));
      const cart = jsonOf(await target.client.send({ path: '/cart', headers })) as {
        items: string[];
      };
      expect(new Set(cart.items)).toEqual(new Set(Array.from({ length: 50 }, (_, i) => `p${i}`)));
      expect(cart.items).toHaveLength(50);
    });
  });
});
