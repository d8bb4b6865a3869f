'use strict';
/** Starting and measuring the servers under test: pinned to core 0 where `taskset` exists. */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { median } = require('./report');

const ROOT = path.resolve(__dirname, '../..');
const HAS_TASKSET = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/**
 * The node flags and script production runs with, read from `npm run start:prod` (the Dockerfile's CMD has
 * the same, checked by test/e2e/delivery-files.e2e-spec.ts), so the app is measured as it is shipped. The
 * baselines get the same flags: same runtime settings on every side.
 */
const START_PROD = (() => {
  const script = require(path.join(ROOT, 'package.json')).scripts['start:prod'];
  const words = script.trim().split(/\s+/);
  if (words[0] !== 'node') throw new Error(`start:prod should start with node: ${script}`);
  return words.slice(1);
})();
const NODE_FLAGS = START_PROD.filter((word) => word.startsWith('--'));
const MAIN = path.join(ROOT, START_PROD[START_PROD.length - 1]);

/** `node <flags> script` pinned to core 0 where `taskset` exists (taskset execs, so the pid is node's). */
const pinned = (script, extraFlags = []) =>
  HAS_TASKSET
    ? ['taskset', '-c', '0', process.execPath, ...NODE_FLAGS, ...extraFlags, script]
    : [process.execPath, ...NODE_FLAGS, ...extraFlags, script];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function freePort() {
  const server = net.createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * Spawns `node <production flags> <flags> script` with exactly `env` plus PATH, pinned to core 0, or run
 * unpinned by `wrapper` (valgrind); resolves once /healthz answers, and kills the process if it never does.
 * `keepStdout` keeps what it prints (`output()`); `bootMs` bounds the wait for /healthz, `stopMs` the wait
 * for the exit after SIGTERM (then SIGKILL).
 */
async function startServer(
  script,
  env,
  { flags = [], wrapper = null, keepStdout = false, bootMs = 20_000, stopMs = 10_000 } = {},
) {
  const port = await freePort();
  const argv = wrapper
    ? [...wrapper, process.execPath, ...NODE_FLAGS, ...flags, script]
    : pinned(script, flags);
  const started = process.hrtime.bigint();
  const child = spawn(argv[0], argv.slice(1), {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', keepStdout ? 'pipe' : 'ignore', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d) => (stderr += d.toString()));
  child.stdout?.on('data', (d) => (stdout += d.toString()));
  const exited = new Promise((r) => child.once('exit', (code) => r(code)));
  const base = `http://127.0.0.1:${port}`;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${script} exited ${child.exitCode}: ${stderr}`);
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch {
        if (Number(process.hrtime.bigint() - started) > bootMs * 1e6)
          throw new Error(`${script}: no /healthz`);
        await sleep(5);
      }
    }
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const startMs = Number(process.hrtime.bigint() - started) / 1e6;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), stopMs);
    await exited;
    clearTimeout(timer);
  };
  return { child, pid: child.pid, base, startMs, stop, output: () => stdout };
}

/** Resident set size in MB from /proc (null where /proc is missing). */
function rssMb(pid) {
  try {
    const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
    return line ? Number(line[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * CPU time (user + system) the process has used, in microseconds, from /proc (null where it is missing).
 * Divided by the requests of a round it gives the CPU cost of one request, which time stolen by other
 * work on a shared machine does not inflate the way it lowers requests/s.
 */
function cpuMicros(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

/** Start-up to the first /healthz of the app and of `nestBaseline`, alternated; and the failed boot. */
async function startupTimes(env, starts, nestBaseline) {
  const times = [];
  const nestTimes = [];
  for (let i = 0; i < starts; i++) {
    const server = await startServer(MAIN, env);
    times.push(server.startMs);
    await server.stop();
    const nest = await startServer(nestBaseline, { SECRET_KEY: env.SECRET_KEY });
    nestTimes.push(nest.startMs);
    await nest.stop();
  }
  const failed = [];
  for (let i = 0; i < starts; i++) {
    const started = process.hrtime.bigint();
    const argv = pinned(MAIN);
    const run = spawnSync(argv[0], argv.slice(1), {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        INSTANCE_PATH: env.INSTANCE_PATH,
      },
    });
    failed.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (run.status !== 78) throw new Error(`boot without SECRET_KEY exited ${run.status}, not 78`);
  }
  const round = (xs) => xs.map((x) => Math.round(x));
  return {
    startupMs: { median: Math.round(median(times)), runs: round(times) },
    nestStartupMs: { median: Math.round(median(nestTimes)), runs: round(nestTimes) },
    failedConfigBootMs: { median: Math.round(median(failed)), runs: round(failed) },
  };
}

module.exports = {
  ROOT,
  MAIN,
  HAS_TASKSET,
  NODE_FLAGS,
  sleep,
  startServer,
  rssMb,
  cpuMicros,
  startupTimes,
};
