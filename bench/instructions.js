'use strict';
/**
 * `npm run bench:instructions`: instructions per request under `valgrind --tool=callgrind`, which counts what a
 * process runs whatever else the host is doing (wall-clock ratios move with this shared host's speed). Each of
 * the bare Nest app and the built app runs twice, with FEW and with MANY requests of a scenario; the difference
 * over MANY - FEW requests is the cost of one request in user space (kernel work is not counted). Prints the
 * table and writes bench/results/instructions.json (or BENCH_OUTPUT).
 * Env: BENCH_FEW (200), BENCH_MANY (2200), BENCH_SCENARIOS (dashboard,cart). About 1 minute per run here.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const autocannon = require('autocannon');
const { MAIN, startServer } = require('./lib/processes');
const sessions = require('./lib/sessions');

const FEW = Number(process.env.BENCH_FEW ?? 200);
const MANY = Number(process.env.BENCH_MANY ?? 2200);
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? 'dashboard,cart').split(',');
const OUTPUT = process.env.BENCH_OUTPUT ?? path.join(__dirname, 'results/instructions.json');
const NEST = path.join(__dirname, 'nest-baseline.js');
const CONNECTIONS = 10;
const PATHS = { dashboard: '/dashboard', cart: '/cart/items', html: '/dashboard' };
const SECRET_KEY = crypto.randomBytes(32).toString('hex');
// Under valgrind a boot takes 30-60 s here; a slow host gets this long to boot, and to stop, before a run
// is given up.
const VALGRIND_TIMEOUT_MS = 600_000;

/** Total instructions of one process that boots, signs in and answers `requests` requests of `scenario`. */
async function instructions(script, scenario, requests) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-callgrind-'));
  const out = path.join(dir, 'callgrind.out');
  const isApp = script === MAIN;
  const env = isApp
    ? { NODE_ENV: 'production', SECRET_KEY, INSTANCE_PATH: dir, TRUST_PROXY: '1' }
    : { SECRET_KEY };
  try {
    const server = await startServer(script, env, {
      wrapper: ['valgrind', '--tool=callgrind', `--callgrind-out-file=${out}`],
      bootMs: VALGRIND_TIMEOUT_MS,
      stopMs: VALGRIND_TIMEOUT_MS,
    });
    try {
      const cookie = isApp
        ? await sessions.appCookie(server.base)
        : await sessions.baselineCookie(server.base, sessions.FLOOR_COOKIE_BYTES);
      const request = sessions.requests(cookie)[scenario];
      const url = server.base + PATHS[scenario];
      const run = await autocannon({
        url,
        connections: CONNECTIONS,
        amount: requests,
        timeout: 120,
        ...request,
      });
      const failed = run.errors + run.timeouts + run.non2xx;
      if (failed > 0) throw new Error(`${scenario} on ${path.basename(script)}: ${failed} failed`);
    } finally {
      await server.stop();
    }
    const total = fs.readFileSync(out, 'utf8').match(/^(?:summary|totals): (\d+)/m);
    if (!total) throw new Error(`no instruction total in ${out}`);
    return Number(total[1]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Instructions per request of `script`: the two runs at once (each count is its own process's). */
async function perRequest(script, scenario) {
  const [few, many] = await Promise.all([
    instructions(script, scenario, FEW),
    instructions(script, scenario, MANY),
  ]);
  return Math.round((many - few) / (MANY - FEW));
}

async function main() {
  if (spawnSync('valgrind', ['--version']).status !== 0) {
    throw new Error('valgrind is not installed (Debian: apt-get install -y valgrind)');
  }
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`);
  if (!(MANY > FEW && FEW >= CONNECTIONS)) {
    throw new Error(
      `BENCH_MANY must be larger than BENCH_FEW, and BENCH_FEW at least ${CONNECTIONS}`,
    );
  }
  const rows = [];
  for (const scenario of SCENARIOS) {
    if (!PATHS[scenario]) throw new Error(`unknown scenario ${scenario}: ${Object.keys(PATHS)}`);
    const nest = await perRequest(NEST, scenario);
    const app = await perRequest(MAIN, scenario);
    rows.push({ scenario, nest, app, ratio: Math.round((nest / app) * 100) / 100 });
    process.stderr.write(`  ${scenario}: app ${app}, bare Nest ${nest} instructions per request\n`);
  }
  const results = { node: process.version, few: FEW, many: MANY, scenarios: rows };
  fs.mkdirSync(path.dirname(OUTPUT), { recursive: true });
  fs.writeFileSync(OUTPUT, `${JSON.stringify(results, null, 2)}\n`);
  console.log('| scenario | app instructions/request | bare Nest | bare Nest ÷ app |');
  console.log('|---|--:|--:|--:|');
  for (const r of rows) console.log(`| ${r.scenario} | ${r.app} | ${r.nest} | ${r.ratio} |`);
  console.log(`\nwrote ${path.relative(process.cwd(), OUTPUT)}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
