'use strict';
/**
 * `POST /login` under a crowd: USERS users log in again and again at the same time, each from its own
 * address (the app runs behind TRUST_PROXY=1, so `X-Forwarded-For` names the client, as a load balancer
 * would), so the per-address limits stay out of the way and what is measured is argon2id and the bound on
 * hashes in flight. Reports logins/s, latency percentiles and every status seen (503 = the bound was full).
 */
const { closedLoop } = require('./closed-loop');
const { JSON_HEADERS } = require('./sessions');

const USERS = 50;
const PASSWORD = 'bench-password-1';
const emailOf = (i) => `crowd-${i}@bench.example`;
const addressOf = (i) => `10.99.${i >> 8}.${i & 255}`;
const headersOf = (i) => ({ ...JSON_HEADERS, 'x-forwarded-for': addressOf(i) });

async function registerCrowd(base, users = USERS) {
  for (let i = 0; i < users; i++) {
    const body = JSON.stringify({ email: emailOf(i), password: PASSWORD });
    const res = await fetch(`${base}/register`, { method: 'POST', headers: headersOf(i), body });
    if (res.status !== 201 && res.status !== 409) throw new Error(`register: ${res.status}`);
  }
}

async function loginCrowd(base, seconds, users = USERS) {
  const bodies = Array.from({ length: users }, (_, i) =>
    JSON.stringify({ email: emailOf(i), password: PASSWORD }),
  );
  const run = await closedLoop(seconds, users, (i) =>
    fetch(`${base}/login`, { method: 'POST', headers: headersOf(i), body: bodies[i] }),
  );
  return {
    users,
    seconds: Math.round(run.elapsed * 10) / 10,
    loginsPerSec: Math.round(((run.statuses[200] ?? 0) / run.elapsed) * 10) / 10,
    p50: Math.round(run.p50),
    p99: Math.round(run.p99),
    statuses: run.statuses,
  };
}

module.exports = { USERS, registerCrowd, loginCrowd };
