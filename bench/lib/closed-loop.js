'use strict';
/**
 * Closed-loop load for the scenarios autocannon cannot drive (it sends one set of headers on every
 * connection): `workers` loops at once, each sending its next request as soon as the last one answered,
 * until `seconds` have passed. `send(worker, i)` sends the i-th request of a worker and returns the fetch
 * response. Reports the elapsed seconds, every status seen, and the latency percentiles in ms.
 */
async function closedLoop(seconds, workers, send) {
  const latencies = [];
  const statuses = {};
  const deadline = Date.now() + seconds * 1000;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let i = 0; Date.now() < deadline; i++) {
        const sent = process.hrtime.bigint();
        const res = await send(worker, i);
        await res.arrayBuffer();
        latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return { elapsed, statuses, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

function percentile(sorted, p) {
  return sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

module.exports = { closedLoop };
