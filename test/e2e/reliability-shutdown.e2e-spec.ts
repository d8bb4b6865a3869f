import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppProcess, startApp, waitForHttp } from '../support/app-process';
import { uniqueEmail } from '../support/auth-setup';
import { Outcome, steadyTraffic, TrafficRequest } from '../support/reliability/traffic';
import { PLATFORMS } from '../support/test-app';

const CLIENTS = 20;
const LOAD_MS = 2000;

/**
 * Half the clients register (an Argon2 hash in flight), each time from a new address (registrations are
 * limited per address), half add to their cart (fast).
 */
function mixed(client: number, i: number): TrafficRequest {
  return client % 2 === 0
    ? {
        method: 'POST',
        path: '/register',
        body: { email: uniqueEmail(`sigterm-${client}-${i}`), password: 'long-enough-password' },
        headers: { 'X-Forwarded-For': `10.30.${client}.${i & 255}` },
      }
    : { method: 'POST', path: '/cart/items', body: { item: `item-${i}` } };
}

/** SIGTERM under steady keep-alive traffic: stop accepting, finish what was accepted, exit 0 in time. */
describe.each(PLATFORMS)('reliability: SIGTERM under load on %s', (platform) => {
  let app: AppProcess;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reliability-sigterm-'));
    app = await startApp({
      NODE_ENV: 'production',
      SECRET_KEY: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      INSTANCE_PATH: dir,
      HTTP_ADAPTER: platform,
      TRUST_PROXY: '1',
    });
    await waitForHttp(`http://127.0.0.1:${app.port}/healthz`).catch((error: Error) => {
      throw new Error(`${error.message}\n${app.stderr()}${app.stdout().slice(-1500)}`);
    });
  });
  afterAll(async () => {
    await app?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finishes every accepted request and exits 0 within 10 s', async () => {
    let signalledAt = Number.POSITIVE_INFINITY;
    let exitedAt = Number.POSITIVE_INFINITY;
    const traffic = steadyTraffic(app.port, CLIENTS, mixed, () => Date.now() > exitedAt);
    await new Promise((r) => setTimeout(r, LOAD_MS));
    signalledAt = Date.now();
    app.child.kill('SIGTERM');
    const code = await app.exited(10_000);
    exitedAt = Date.now();
    const outcomes = await traffic;

    const before = outcomes.filter((o) => o.startedAt < signalledAt);
    const after = outcomes.filter((o) => o.startedAt >= signalledAt);
    const summary = (list: Outcome[]) =>
      list.reduce<Record<string, number>>((acc, o) => {
        const key = o.status !== undefined ? String(o.status) : o.error!;
        acc[key] = (acc[key] ?? 0) + 1;
        return acc;
      }, {});
    // One line per run, for docs/RELIABILITY.md: what was answered before and after the signal.
    process.stderr.write(
      `SIGTERM ${platform}: before ${JSON.stringify(summary(before))} after ${JSON.stringify(summary(after))} exit ${code} in ${exitedAt - signalledAt} ms\n`,
    );
    expect(code).toBe(0);
    expect(before.length).toBeGreaterThan(CLIENTS);
    // Accepted before the signal: answered, never reset, never a 5xx.
    expect(before.filter((o) => o.status === undefined || o.status >= 500)).toEqual([]);
    // After the signal: an answer (503 while closing is honest), or refused: never a reset.
    expect(after.filter((o) => o.error !== undefined && o.error !== 'ECONNREFUSED')).toEqual([]);
  }, 30_000);
});
