'use strict';
/** Medians across rounds, the printed table. */
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? NaN
    : s.length % 2
      ? s[(s.length - 1) / 2]
      : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

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
  const ratios = rounds
    .filter((r) => r.baseline)
    .map((r) => r.app.reqPerSec / r.baseline.reqPerSec);
  // CPU per request, baseline over app: what the ratio would be with the core to itself (see cpuMicros).
  const cpuRatios = rounds
    .filter((r) => r.baseline?.cpuUsPerRequest && r.app.cpuUsPerRequest)
    .map((r) => r.baseline.cpuUsPerRequest / r.app.cpuUsPerRequest);
  return {
    name,
    app: side('app'),
    baseline: side('baseline'),
    ratio: ratios.length ? Math.round(median(ratios) * 100) / 100 : null,
    ratios: ratios.map((x) => Math.round(x * 100) / 100),
    cpuRatio: cpuRatios.length ? Math.round(median(cpuRatios) * 100) / 100 : null,
    rounds,
  };
}

function printTable(results) {
  const rows = [
    [
      'scenario',
      'app req/s',
      'base req/s',
      'ratio',
      'per round',
      'app p50/p99 ms',
      'base p50/p99 ms',
      'cpu us/req app/base',
      'cpu ratio',
      'errors',
    ],
  ];
  for (const s of results.scenarios) {
    const b = s.baseline;
    rows.push([
      s.name,
      String(s.app.reqPerSec),
      b ? String(b.reqPerSec) : '-',
      s.ratio === null ? '-' : s.ratio.toFixed(2),
      s.ratios.length ? s.ratios.map((r) => r.toFixed(2)).join(' ') : '-',
      `${s.app.p50}/${s.app.p99}`,
      b ? `${b.p50}/${b.p99}` : '-',
      `${s.app.cpuUsPerRequest ?? '-'}/${b?.cpuUsPerRequest ?? '-'}`,
      s.cpuRatio === null ? '-' : s.cpuRatio.toFixed(2),
      String(s.app.errors + (b ? b.errors : 0)),
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(rows[0]));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(line(r));
  const m = results.memory;
  const s = results.startup;
  console.log(
    `\nstart-up to first /healthz: median ${s.startupMs.median} ms (${s.startupMs.runs.join(', ')})`,
  );
  console.log(
    `failed config boot (no SECRET_KEY, exit 78): median ${s.failedConfigBootMs.median} ms`,
  );
  console.log(`app RSS: idle ${m.idleRssMb} MB, peak under load ${m.loadedRssMb} MB`);
  const carts = results.redisCarts;
  if (carts) {
    for (const [shape, c] of Object.entries(carts)) {
      const seen = Object.entries(c.statuses)
        .map(([status, n]) => `${n} x ${status}`)
        .join(', ');
      console.log(
        `POST /cart/items + DELETE /cart (redis, ${shape === 'ownSession' ? 'a session per connection' : 'one session for all'}, ${c.connections} connections): ${c.writesPerSec} writes/s, p50 ${c.p50} ms, p99 ${c.p99} ms (${seen})`,
      );
    }
  }
  const l = results.logins;
  if (l) {
    const seen = Object.entries(l.statuses)
      .map(([status, n]) => `${n} x ${status}`)
      .join(', ');
    console.log(
      `POST /login, ${l.users} users at once for ${l.seconds} s: ${l.loginsPerSec} logins/s, p50 ${l.p50} ms, p99 ${l.p99} ms (${seen})`,
    );
  }
}

module.exports = { median, summarise, printTable };
