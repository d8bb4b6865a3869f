'use strict';
/**
 * How much of a request outlives a scavenge: the app and the bare Nest app each run with `--trace-gc-nvp`
 * under the same `GET /dashboard` load, and the medians of `new_space_survived` and `promoted` over the
 * scavenges of the load are reported. The bare Nest app keeps under 1 KB; a per-request object that V8 keeps
 * alive shows here as hundreds of KB, all promoted (docs/PERFORMANCE.md, "Promoted requests"). The
 * scavenges' pause time beside the run's p99 says how much of the tail is the young generation's.
 */
const autocannon = require('autocannon');
const { median } = require('./report');
const { startServer } = require('./processes');
const sessions = require('./sessions');

/**
 * The `--trace-gc-nvp` records in a process's output: `name=value` pairs up to Node 24's V8, one JSON object
 * after `GC: ` from Node 26's.
 */
function gcRecords(output) {
  return output.split('\n').flatMap((line) => {
    const json = /GC: (\{.*\})\s*$/.exec(line);
    if (json) return [JSON.parse(json[1])];
    if (!line.includes(' gc=')) return [];
    return [Object.fromEntries([...line.matchAll(/ ([\w.]+)=(\S+)/g)].map((m) => [m[1], m[2]]))];
  });
}

async function survival(script, env, cookieOf, seconds, connections) {
  const server = await startServer(script, env, { flags: ['--trace-gc-nvp'], keepStdout: true });
  try {
    const request = sessions.requests(await cookieOf(server.base)).dashboard;
    const url = `${server.base}/dashboard`;
    await autocannon({ url, connections, duration: Math.min(1, seconds), ...request });
    const before = server.output().length;
    const run = await autocannon({ url, connections, duration: seconds, ...request });
    const scavenges = gcRecords(server.output().slice(before)).filter((r) => r.gc === 's');
    const field = (name) => median(scavenges.map((r) => Number(r[name] ?? NaN)));
    const pauses = scavenges.map((r) => Number(r.pause ?? 0));
    return {
      requests: run.requests.total,
      p50: run.latency.p50,
      p99: run.latency.p99,
      scavenges: scavenges.length,
      // The load's time spent in scavenges: every request in flight waits out each one.
      pauseMsTotal: Math.round(pauses.reduce((sum, ms) => sum + ms, 0)),
      pauseMsMax: Math.round(Math.max(0, ...pauses) * 100) / 100,
      survivedBytes: scavenges.length ? field('new_space_survived') : null,
      promotedBytes: scavenges.length ? field('promoted') : null,
    };
  } finally {
    await server.stop();
  }
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
