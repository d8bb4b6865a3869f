'use strict';
/**
 * `POST /cart/items` on Redis sessions, where each write takes the session's write lock in Redis and saves
 * with a compare-and-set. Two shapes: every connection on its own session (the lock is never contended,
 * so what is measured is its cost: `SET NX`, the compare-and-set script, the release), and all connections
 * on one session (every write waits its turn: the worst case). Each connection alternates an add and a
 * `DELETE /cart`, so the cart stays small. Driven by `closedLoop`: each connection sends its own cookie.
 */
const { closedLoop } = require('./closed-loop');
const { JSON_HEADERS, cookieFrom } = require('./sessions');

/** A new anonymous session with a cart: its cookie. */
async function cartSession(base) {
  const body = JSON.stringify({ item: 'first' });
  const res = await fetch(`${base}/cart/items`, { method: 'POST', headers: JSON_HEADERS, body });
  const cookie = cookieFrom(res);
  if (res.status !== 201 || !cookie) throw new Error(`cart: ${res.status}`);
  return cookie;
}

async function cartLoad(base, seconds, connections, cookieOf) {
  const body = JSON.stringify({ item: 'apple' });
  const run = await closedLoop(seconds, connections, (c, i) => {
    const cookie = cookieOf(c);
    return i % 2 === 0
      ? fetch(`${base}/cart/items`, { method: 'POST', headers: { ...JSON_HEADERS, cookie }, body })
      : fetch(`${base}/cart`, {
          method: 'DELETE',
          headers: { accept: 'application/json', cookie },
        });
  });
  const ok = (run.statuses[201] ?? 0) + (run.statuses[204] ?? 0);
  return {
    connections,
    writesPerSec: Math.round(ok / run.elapsed),
    p50: Math.round(run.p50 * 10) / 10,
    p99: Math.round(run.p99 * 10) / 10,
    statuses: run.statuses,
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
