'use strict';
/**
 * `npm run bench`: measures the built app as `npm run start:prod` runs it (production) against two floors with the
 * same cookie crypto, bare node:http (bench/baseline-server.js) and a bare NestJS-on-Fastify app
 * (bench/nest-baseline.js), with autocannon, rounds interleaved, and writes
 * bench/results/latest.json (or BENCH_OUTPUT). Builds nothing: run `npm run build` first.
 * Env: BENCH_SECONDS (5), BENCH_ROUNDS (3), BENCH_CONNECTIONS (32, the load SPEC §7's p99 target is
 * stated at), BENCH_SMOKE=1 (1 s, one round, no redis, no logins),
 * REDIS_URL (else redis://127.0.0.1:6379 is tried). Servers are pinned to core 0, this process to core 1.
 */
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const autocannon = require('autocannon');
const {
  HAS_TASKSET,
  MAIN,
  cpuMicros,
  rssMb,
  sleep,
  startServer,
  startupTimes,
} = require('./lib/processes');
const { printTable, summarise } = require('./lib/report');
const { redisCartScenarios } = require('./lib/carts');
const { promotionCheck } = require('./lib/promotion');
const logins = require('./lib/logins');
const sessions = require('./lib/sessions');

/** The two floors: bare node:http, and a bare NestJS-on-Fastify app; both with the same cookie crypto. */
const SERVERS = {
  node: path.join(__dirname, 'baseline-server.js'),
  nest: path.join(__dirname, 'nest-baseline.js'),
};
const SMOKE = process.env.BENCH_SMOKE === '1';
const SECONDS = SMOKE ? 1 : Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = SMOKE ? 1 : Number(process.env.BENCH_ROUNDS ?? 3);
const STARTS = SMOKE ? 1 : 5;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const OUTPUT = process.env.BENCH_OUTPUT ?? path.join(__dirname, 'results/latest.json');
const SECRET_KEY = crypto.randomBytes(32).toString('hex');
// Read before this process pins itself to one core, which would make it report 1.
const NPROC = os.availableParallelism();

function load(url, opts, seconds, pid) {
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid) ?? 0)), 250);
  const cpuBefore = cpuMicros(pid);
  return autocannon({ url, connections: CONNECTIONS, duration: seconds, ...opts }).then((r) => {
    clearInterval(sampler);
    const cpuAfter = cpuMicros(pid);
    const cpuUsPerRequest =
      cpuBefore === null || cpuAfter === null || r.requests.total === 0
        ? null
        : Math.round(((cpuAfter - cpuBefore) / r.requests.total) * 10) / 10;
    return {
      cpuUsPerRequest,
      reqPerSec: r.requests.average,
      p50: r.latency.p50,
      p99: r.latency.p99,
      requests: r.requests.total,
      errors: r.errors + r.timeouts + r.non2xx,
      peakRssMb: Math.round(peak * 10) / 10,
    };
  });
}

/** Warm-up, then ROUNDS rounds, each loading the node baseline, the Nest baseline and the app in turn. */
async function scenario(name, app, baselines, opts) {
  const warm = Math.min(1, SECONDS);
  const servers = { ...baselines, app };
  const load1 = (who, seconds) =>
    load(
      servers[who].base + opts.path,
      who === 'app' ? opts.app : opts.baseline,
      seconds,
      servers[who].pid,
    );
  for (const who of Object.keys(servers)) await load1(who, warm);
  const rounds = [];
  for (let i = 0; i < ROUNDS; i++) {
    const round = {};
    for (const who of Object.keys(servers)) round[who] = await load1(who, SECONDS);
    rounds.push(round);
    process.stderr.write(
      `  ${name} round ${i + 1}: app ${Math.round(round.app.reqPerSec)} req/s, bare Nest ${Math.round(round.nest.reqPerSec)}\n`,
    );
  }
  return summarise(name, rounds);
}

/** GET /dashboard (JSON and HTML) and POST /cart/items on the cookie store, against the baselines. */
async function cookieScenarios(app, baselines, cookies) {
  const a = sessions.requests(cookies.app);
  const b = sessions.requests(cookies.baseline);
  const run = (name, key, p) =>
    scenario(name, app, baselines, { path: p, app: a[key], baseline: b[key] });
  return [
    await run('GET /dashboard (cookie)', 'dashboard', '/dashboard'),
    await run('POST /cart/items (cookie)', 'cart', '/cart/items'),
    await run('GET /dashboard HTML (cookie)', 'html', '/dashboard'),
  ];
}

/**
 * GET /dashboard and cart writes on the redis store (its own process, temp instance, unique key prefix,
 * keys deleted after).
 */
async function redisScenario(url, appEnv, baselines, baselineCookie) {
  const prefix = `bench-${process.pid}-${Date.now()}:`;
  const instance = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-redis-'));
  const env = { ...appEnv, INSTANCE_PATH: instance, SESSION_STORE: 'redis', REDIS_URL: url };
  const app = await startServer(MAIN, { ...env, APP_SESSION_KEY_PREFIX: prefix });
  try {
    const r = sessions.requests(await sessions.appCookie(app.base));
    const b = sessions.requests(baselineCookie);
    const opts = { path: '/dashboard', app: r.dashboard, baseline: b.dashboard };
    const dashboard = await scenario('GET /dashboard (redis)', app, baselines, opts);
    const carts = await redisCartScenarios(app.base, SECONDS, CONNECTIONS);
    return { dashboard, carts };
  } finally {
    await app.stop();
    await sessions.deleteRedisKeys(url, prefix);
    fs.rmSync(instance, { recursive: true, force: true });
  }
}

/** 50 concurrent logins (argon2id): no baseline; logins/s and latency of the crowd. */
async function loginScenario(app) {
  await logins.registerCrowd(app.base);
  await logins.loginCrowd(app.base, Math.min(1, SECONDS));
  const result = await logins.loginCrowd(app.base, SECONDS);
  process.stderr.write(`  POST /login x${logins.USERS}: ${result.loginsPerSec} logins/s\n`);
  return result;
}

async function measure(appEnv, results) {
  const app = await startServer(MAIN, appEnv, { keepStdout: true });
  const baselines = {
    node: await startServer(SERVERS.node, { SECRET_KEY }),
    nest: await startServer(SERVERS.nest, { SECRET_KEY }),
  };
  try {
    const appCookie = await sessions.appCookie(app.base);
    const size = appCookie.length - appCookie.indexOf('=') - 1;
    // Both baselines derive their key from SECRET_KEY the same way: one cookie opens on either.
    const cookies = {
      app: appCookie,
      baseline: await sessions.baselineCookie(baselines.node.base, size),
    };
    await sleep(1000);
    const idleRssMb = rssMb(app.pid);
    const nestIdleRssMb = rssMb(baselines.nest.pid);
    results.scenarios.push(...(await cookieScenarios(app, baselines, cookies)));
    const peaks = results.scenarios.flatMap((s) => s.rounds.map((r) => r.app.peakRssMb));
    results.memory = {
      idleRssMb: Math.round(idleRssMb * 10) / 10,
      loadedRssMb: Math.max(...peaks),
      nestIdleRssMb: Math.round(nestIdleRssMb * 10) / 10,
    };
    const url = SMOKE ? null : await sessions.redisUrl();
    if (url) {
      const redis = await redisScenario(url, appEnv, baselines, cookies.baseline);
      results.scenarios.push(redis.dashboard);
      results.redisCarts = redis.carts;
    }
    if (!SMOKE) results.logins = await loginScenario(app);
  } finally {
    await app.stop();
    await Promise.all(Object.values(baselines).map((b) => b.stop()));
  }
  results.lastSeenWrites = lastSeenWrites(app.output());
  // Fresh processes of their own: the GC trace must not slow the scenarios above.
  results.promotion = await promotionCheck({
    appScript: MAIN,
    appEnv,
    nestScript: SERVERS.nest,
    nestEnv: { SECRET_KEY },
    seconds: SECONDS,
    connections: CONNECTIONS,
  });
}

/**
 * The sign-in records' last-seen writes the app made, as it logs them at shutdown (0 when it logs none):
 * at most one per session per 5 minutes, whatever the load.
 */
function lastSeenWrites(output) {
  const match = output.match(/last-seen writes: (\d+)/);
  return match ? Number(match[1]) : 0;
}

async function main() {
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`);
  if (HAS_TASKSET) spawnSync('taskset', ['-pc', '1', String(process.pid)]);
  const instance = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-instance-'));
  // One trusted proxy hop: the login crowd names each client in X-Forwarded-For, as a load balancer would.
  const appEnv = { NODE_ENV: 'production', SECRET_KEY, INSTANCE_PATH: instance, TRUST_PROXY: '1' };
  const results = {
    machine: {
      nproc: NPROC,
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      node: process.version,
      taskset: HAS_TASKSET,
    },
    settings: { seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS, smoke: SMOKE },
    scenarios: [],
  };
  try {
    await measure(appEnv, results);
    results.startup = await startupTimes(appEnv, STARTS, SERVERS.nest);
  } finally {
    fs.rmSync(instance, { recursive: true, force: true });
  }
  fs.mkdirSync(path.dirname(OUTPUT), { recursive: true });
  fs.writeFileSync(OUTPUT, `${JSON.stringify(results, null, 2)}\n`);
  printTable(results);
  console.log(`\nwrote ${path.relative(process.cwd(), OUTPUT)}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
