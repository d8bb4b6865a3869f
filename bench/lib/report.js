'use strict';
/** Medians across rounds, the printed tables. */
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? NaN
    : s.length % 2
      ? s[(s.length - 1) / 2]
      : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const round2 = (x) => Math.round(x * 100) / 100;

/** The servers a scenario runs on, in the order a round loads them: the two floors, then the app. */
const BASELINES = ['node', 'nest'];

/**
 * One scenario over its rounds: medians per server, and for each baseline the app's throughput ratio
 * (app req/s over baseline req/s, per round, then the median) and CPU ratio (baseline CPU µs per request
 * over the app's: the throughput ratio each would have with the core to itself).
 */
function summarise(name, rounds) {
  const pick = (who, key) => median(rounds.filter((r) => r[who]).map((r) => r[who][key]));
  const side = (who) =>
    rounds[0][who] && {
      reqPerSec: Math.round(pick(who, 'reqPerSec')),
      p50: pick(who, 'p50'),
      p99: pick(who, 'p99'),
      cpuUsPerRequest: pick(who, 'cpuUsPerRequest'),
      requests: rounds.reduce((n, r) => n + r[who].requests, 0),
      errors: rounds.reduce((n, r) => n + r[who].errors, 0),
    };
  const vs = {};
  for (const b of BASELINES.filter((who) => rounds[0][who])) {
    const ratios = rounds.map((r) => r.app.reqPerSec / r[b].reqPerSec);
    const cpuRatios = rounds
      .filter((r) => r[b].cpuUsPerRequest && r.app.cpuUsPerRequest)
      .map((r) => r[b].cpuUsPerRequest / r.app.cpuUsPerRequest);
    vs[b] = {
      ratio: round2(median(ratios)),
      ratios: ratios.map(round2),
      cpuRatio: cpuRatios.length ? round2(median(cpuRatios)) : null,
      p99Ratio: round2(pick('app', 'p99') / Math.max(1, pick(b, 'p99'))),
    };
  }
  return {
    name,
    app: side('app'),
    node: side('node'),
    nest: side('nest'),
    vs,
    rounds,
  };
}

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(rows[0]));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(line(r));
}

function printTable(results) {
  const rows = [
    [
      'scenario',
      'app req/s',
      'node req/s',
      'nest req/s',
      'app ÷ nest',
      'per round',
      'app ÷ node',
      'p50/p99 ms app · nest · node',
      'cpu µs/req app · nest · node',
      'cpu ratio nest · node',
      'errors',
    ],
  ];
  for (const s of results.scenarios) {
    const [node, nest] = [s.node, s.nest];
    const v = s.vs;
    rows.push([
      s.name,
      String(s.app.reqPerSec),
      node ? String(node.reqPerSec) : '-',
      nest ? String(nest.reqPerSec) : '-',
      v.nest ? v.nest.ratio.toFixed(2) : '-',
      v.nest ? v.nest.ratios.map((r) => r.toFixed(2)).join(' ') : '-',
      v.node ? v.node.ratio.toFixed(2) : '-',
      [s.app, nest, node].map((x) => (x ? `${x.p50}/${x.p99}` : '-')).join(' · '),
      [s.app, nest, node].map((x) => x?.cpuUsPerRequest ?? '-').join(' · '),
      [v.nest?.cpuRatio, v.node?.cpuRatio].map((x) => (x == null ? '-' : x.toFixed(2))).join(' · '),
      String(s.app.errors + (node?.errors ?? 0) + (nest?.errors ?? 0)),
    ]);
  }
  console.log(
    `${results.settings.connections} connections, ${results.settings.rounds} round(s) of ${results.settings.seconds} s, Node ${results.machine.node}`,
  );
  table(rows);
  const m = results.memory;
  const s = results.startup;
  console.log(
    `\nstart-up to first /healthz: app median ${s.startupMs.median} ms (${s.startupMs.runs.join(', ')}); bare Nest median ${s.nestStartupMs.median} ms (${s.nestStartupMs.runs.join(', ')})`,
  );
  console.log(
    `failed config boot (no SECRET_KEY, exit 78): median ${s.failedConfigBootMs.median} ms`,
  );
  console.log(
    `app RSS: idle ${m.idleRssMb} MB, peak under load ${m.loadedRssMb} MB; bare Nest idle ${m.nestIdleRssMb} MB`,
  );
  if (results.lastSeenWrites !== undefined) {
    const signedIn = results.scenarios
      .filter((s) => s.name.includes('cookie'))
      .reduce((sum, s) => sum + s.rounds.reduce((n, r) => n + r.app.requests, 0), 0);
    console.log(
      `sign-in record writes under load: ${results.lastSeenWrites} last-seen writes for ${signedIn} signed-in requests (at most one per session per 5 minutes)`,
    );
  }
  const p = results.promotion;
  if (p) {
    const kb = (bytes) => (bytes === null ? 'n/a' : `${Math.round(bytes / 102.4) / 10} KB`);
    console.log(
      `surviving a scavenge under GET /dashboard (median per scavenge, --trace-gc-nvp): app ${kb(p.app.survivedBytes)} (promoted ${kb(p.app.promotedBytes)}, ${p.app.scavenges} scavenges); bare Nest ${kb(p.nest.survivedBytes)} (promoted ${kb(p.nest.promotedBytes)})`,
    );
    const gc = (r) =>
      `a scavenge every ${Math.round(r.requests / Math.max(1, r.scavenges))} requests, ${r.pauseMsTotal} ms paused in all (longest ${r.pauseMsMax} ms), p50/p99 ${r.p50}/${r.p99} ms`;
    console.log(`scavenges in that run: app ${gc(p.app)}; bare Nest ${gc(p.nest)}`);
  }
  const carts = results.redisCarts;
  if (carts) {
    for (const [shape, c] of Object.entries(carts)) {
      console.log(
        `POST /cart/items + DELETE /cart (redis, ${shape === 'ownSession' ? 'a session per connection' : 'one session for all'}, ${c.connections} connections): ${c.writesPerSec} writes/s, p50 ${c.p50} ms, p99 ${c.p99} ms (${seen(c.statuses)})`,
      );
    }
  }
  const l = results.logins;
  if (l) {
    console.log(
      `POST /login, ${l.users} users at once for ${l.seconds} s: ${l.loginsPerSec} logins/s, p50 ${l.p50} ms, p99 ${l.p99} ms (${seen(l.statuses)})`,
    );
  }
}

/** Every status a closed loop saw: `812 x 201, 3 x 503`. */
function seen(statuses) {
  return Object.entries(statuses)
    .map(([status, n]) => `${n} x ${status}`)
    .join(', ');
}

module.exports = { BASELINES, median, summarise, printTable };
