'use strict';
/**
 * The cookie crypto both baselines share with the app's cookie store: AES-256-GCM under a key derived
 * once with HKDF-SHA256, `base64url(version | iv | body | tag)`, the session padded to the app cookie's
 * length. No user lookup, no headers, no session layer: a floor, not a competitor.
 */
const { createCipheriv, createDecipheriv, hkdfSync, randomBytes } = require('node:crypto');

const KEY = Buffer.from(
  hkdfSync('sha256', process.env.SECRET_KEY ?? 'baseline', 'bench', 'cookie', 32),
);
const AAD = Buffer.from('bench baseline cookie v1');
const COOKIE = 'session';
const SET_COOKIE_ATTRIBUTES = '; Path=/; HttpOnly; Secure; SameSite=Lax';

function seal(text) {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', KEY, iv).setAAD(AAD);
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.of(1), iv, body, cipher.getAuthTag()]).toString('base64url');
}

function open(value) {
  const raw = Buffer.from(value, 'base64url');
  if (raw.length < 29 || raw[0] !== 1) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', KEY, raw.subarray(1, 13)).setAAD(AAD);
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    const text = Buffer.concat([
      decipher.update(raw.subarray(13, raw.length - 16)),
      decipher.final(),
    ]);
    return JSON.parse(text.toString('utf8'));
  } catch {
    return null;
  }
}

/** The session in a `Cookie` header, or `null`. */
function sessionOf(cookieHeader) {
  const header = cookieHeader ?? '';
  const start = header.indexOf(`${COOKIE}=`);
  if (start === -1) return null;
  const end = header.indexOf(';', start);
  const payload = open(header.slice(start + COOKIE.length + 1, end === -1 ? undefined : end));
  return payload && Date.now() - payload.t < 31 * 24 * 3600 * 1000 ? payload : null;
}

/** A signed-in session sealed to about `bytes` cookie characters: its `Set-Cookie` value. */
function loginCookie(bytes) {
  const payload = { t: Date.now(), p: 0, i: randomBytes(16).toString('hex'), d: { uid: 1 } };
  // A cookie of N characters holds 3N/4 raw bytes: 29 of them framing, the rest the JSON (`,"pad":""` is 9).
  const fill = Math.floor((bytes * 3) / 4) - 29 - JSON.stringify(payload).length - 9;
  payload.d.pad = 'x'.repeat(Math.max(0, fill));
  return setCookie(seal(JSON.stringify(payload)));
}

function setCookie(value) {
  return `${COOKIE}=${value}${SET_COOKIE_ATTRIBUTES}`;
}

const DASHBOARD_PAGE = (uid) =>
  `<!doctype html><html><body><h1>Dashboard</h1><p>Signed in as user ${uid}.</p></body></html>`;

module.exports = { seal, sessionOf, loginCookie, setCookie, DASHBOARD_PAGE };
