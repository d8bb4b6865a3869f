'use strict';
/**
 * `POST /login` under a crowd: USERS users log in again and again at the same time, each from its own
 * address (the app runs behind TRUST_PROXY=1, so `X-Forwarded-For` names the client, as a load balancer
 * would), so the per-address limits stay out of the way and what is measured is argon2id and the bound on
 * hashes in flight. Reports logins/s, latency percentiles and every status seen (503 = the bound was full).
 */
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

const percentile = (sorted, p) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

async function loginCrowd(base, seconds, users = USERS) {
  const latencies = [];
  const statuses = {};
  const deadline = Date.now() + seconds * 1000;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: users }, async (_, i) => {
      const body = JSON.stringify({ email: emailOf(i), password: PASSWORD });
      while (Date.now() < deadline) {
        const sent = process.hrtime.bigint();
        const res = await fetch(`${base}/login`, { method: 'POST', headers: headersOf(i), body });
        await res.arrayBuffer();
        latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return {
    users,
    seconds: Math.round(elapsed * 10) / 10,
    loginsPerSec: Math.round(((statuses[200] ?? 0) / elapsed) * 10) / 10,
    p50: Math.round(percentile(latencies, 0.5)),
    p99: Math.round(percentile(latencies, 0.99)),
    statuses,
  };
}

module.exports = { USERS, registerCrowd, loginCrowd };
