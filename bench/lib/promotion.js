'use strict';
/**
 * How much of a request outlives a scavenge: the app and the bare Nest app each run with `--trace-gc-nvp`
 * under the same `GET /dashboard` load, and the medians of `new_space_survived` and `promoted` over the
 * scavenges of the load are reported. The bare Nest app keeps under 1 KB; a per-request object that V8 keeps
 * alive shows here as hundreds of KB, all promoted (docs/PERFORMANCE.md, "Promoted requests").
 */
const autocannon = require('autocannon');
const { median } = require('./report');
const { startServer } = require('./processes');
const sessions = require('./sessions');

async function survival(script, env, cookieOf, seconds, connections) {
  const server = await startServer(script, env, { flags: ['--trace-gc-nvp'], keepStdout: true });
  try {
    const request = sessions.requests(await cookieOf(server.base)).dashboard;
    const url = `${server.base}/dashboard`;
    await autocannon({ url, connections, duration: Math.min(1, seconds), ...request });
    const before = server.output().length;
    const run = await autocannon({ url, connections, duration: seconds, ...request });
    const lines = server
      .output()
      .slice(before)
      .split('\n')
      .filter((l) => l.includes(' gc=s ') || l.includes('"gc":"s"'));
    const field = (name) => median(lines.map((l) => numberIn(l, name)));
    return {
      requests: run.requests.total,
      scavenges: lines.length,
      survivedBytes: lines.length ? field('new_space_survived') : null,
      promotedBytes: lines.length ? field('promoted') : null,
    };
  } finally {
    await server.stop();
  }
}

/**
 * A field of one `--trace-gc-nvp` line: `name=N` up to Node 24 (V8 13), `"name":N` in the JSON that V8 14
 * (Node 26) prints.
 */
function numberIn(line, name) {
  const match = line.match(new RegExp(`(?: ${name}=|"${name}":)(\\d+)`));
  return Number(match?.[1] ?? NaN);
}

/** The app (`appScript`, `appEnv`) against the bare Nest app, each in a fresh process. */
async function promotionCheck({ appScript, appEnv, nestScript, nestEnv, seconds, connections }) {
  const nestCookie = (base) => sessions.baselineCookie(base, sessions.FLOOR_COOKIE_BYTES);
  return {
    app: await survival(appScript, appEnv, sessions.appCookie, seconds, connections),
    nest: await survival(nestScript, nestEnv, nestCookie, seconds, connections),
  };
}

module.exports = { promotionCheck };
