'use strict';
/** Getting a signed-in session cookie from each server, and the requests autocannon sends with it. */
const USER = { email: 'bench@example.com', password: 'bench-password-1' };
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

/** The session cookie a response sets: the app's production `__Host-session`, or the floors' `session`. */
function cookieFrom(res) {
  const header = res.headers.getSetCookie().find((c) => /^(__Host-)?session=[^;]/.test(c));
  return header ? header.split(';')[0] : null;
}

/** Production never seeds: register, log in (which gives the session its CSRF secret), load the HTML dashboard once. */
async function appCookie(base) {
  const body = JSON.stringify(USER);
  const reg = await fetch(`${base}/register`, { method: 'POST', headers: JSON_HEADERS, body });
  if (reg.status !== 201 && reg.status !== 409) throw new Error(`register: ${reg.status}`);
  const login = await fetch(`${base}/login`, { method: 'POST', headers: JSON_HEADERS, body });
  let cookie = cookieFrom(login);
  if (login.status !== 200 || !cookie) throw new Error(`login: ${login.status}`);
  const page = await fetch(`${base}/dashboard`, { headers: { accept: 'text/html', cookie } });
  cookie = cookieFrom(page) ?? cookie;
  return cookie;
}

/** The size a floor pads its cookie to when no app cookie of the same run gives one to match. */
const FLOOR_COOKIE_BYTES = 300;

async function baselineCookie(base, bytes) {
  const res = await fetch(`${base}/login?bytes=${bytes}`, { method: 'POST' });
  return cookieFrom(res);
}

const requests = (cookie) => ({
  dashboard: { method: 'GET', headers: { accept: 'application/json', cookie } },
  html: { method: 'GET', headers: { accept: 'text/html', cookie } },
  cart: {
    method: 'POST',
    headers: { ...JSON_HEADERS, cookie },
    body: JSON.stringify({ item: 'apple' }),
  },
});

async function redisUrl() {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const { createClient } = require('redis');
  const client = createClient({ url, socket: { connectTimeout: 1000, reconnectStrategy: false } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return url;
  } catch {
    return null;
  } finally {
    if (client.isOpen) await client.quit();
  }
}

async function deleteRedisKeys(url, prefix) {
  const { createClient } = require('redis');
  const client = await createClient({ url }).connect();
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) {
    if (keys.length > 0) await client.del(keys);
  }
  await client.quit();
}

module.exports = {
  USER,
  JSON_HEADERS,
  cookieFrom,
  appCookie,
  FLOOR_COOKIE_BYTES,
  baselineCookie,
  requests,
  redisUrl,
  deleteRedisKeys,
};
