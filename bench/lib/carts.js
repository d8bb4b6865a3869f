'use strict';
/**
 * `POST /cart/items` on Redis sessions, where each write takes the session's write lock in Redis and saves
 * with a compare-and-set. Two shapes: every connection on its own session (the lock is never contended,
 * so what is measured is its cost: `SET NX`, the compare-and-set script, the release), and all connections
 * on one session (every write waits its turn: the worst case). Each connection alternates an add and a
 * `DELETE /cart`, so the cart stays small. A plain fetch loop: autocannon shares one cookie across
 * connections.
 */
const { JSON_HEADERS } = require('./sessions');

const percentile = (sorted, p) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

function cookieFrom(res) {
  const header = res.headers.getSetCookie().find((c) => c.startsWith('session='));
  return header ? header.split(';')[0] : null;
}

/** A new anonymous session with a cart: its cookie. */
async function cartSession(base) {
  const body = JSON.stringify({ item: 'first' });
  const res = await fetch(`${base}/cart/items`, { method: 'POST', headers: JSON_HEADERS, body });
  const cookie = cookieFrom(res);
  if (res.status !== 201 || !cookie) throw new Error(`cart: ${res.status}`);
  return cookie;
}

async function cartLoad(base, seconds, connections, cookieOf) {
  const latencies = [];
  const statuses = {};
  const deadline = Date.now() + seconds * 1000;
  const started = process.hrtime.bigint();
  const body = JSON.stringify({ item: 'apple' });
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      const cookie = cookieOf(c);
      for (let i = 0; Date.now() < deadline; i++) {
        const sent = process.hrtime.bigint();
        const res =
          i % 2 === 0
            ? await fetch(`${base}/cart/items`, {
                method: 'POST',
                headers: { ...JSON_HEADERS, cookie },
                body,
              })
            : await fetch(`${base}/cart`, {
                method: 'DELETE',
                headers: { accept: 'application/json', cookie },
              });
        await res.arrayBuffer();
        latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const ok = (statuses[201] ?? 0) + (statuses[204] ?? 0);
  return {
    connections,
    writesPerSec: Math.round(ok / elapsed),
    p50: Math.round(percentile(latencies, 0.5) * 10) / 10,
    p99: Math.round(percentile(latencies, 0.99) * 10) / 10,
    statuses,
  };
}

/** Both shapes, `connections` at once for `seconds` each. */
async function redisCartScenarios(base, seconds, connections) {
  const own = await Promise.all(Array.from({ length: connections }, () => cartSession(base)));
  const shared = await cartSession(base);
  await cartLoad(base, Math.min(1, seconds), connections, (c) => own[c]);
  return {
    ownSession: await cartLoad(base, seconds, connections, (c) => own[c]),
    sharedSession: await cartLoad(base, seconds, connections, () => shared),
  };
}

module.exports = { redisCartScenarios };
