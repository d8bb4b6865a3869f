'use strict';
/**
 * The floor the app is measured against: bare `node:http`, no framework, the same cookie crypto as the
 * cookie store (AES-256-GCM, key derived once with HKDF-SHA256, `base64url(version | iv | body | tag)`).
 *   POST /login?bytes=N  seals a session padded to about N cookie characters and sets it
 *   GET  /dashboard      opens the cookie, answers small JSON (or a small page for Accept: text/html)
 *   POST /cart/items     opens, appends `item` from the JSON body, reseals and sets the cookie
 *   GET  /healthz        {"status":"ok"}
 * Env: PORT, HOST (127.0.0.1), SECRET_KEY.
 */
const http = require('node:http');
const { createCipheriv, createDecipheriv, hkdfSync, randomBytes } = require('node:crypto');

const KEY = Buffer.from(
  hkdfSync('sha256', process.env.SECRET_KEY ?? 'baseline', 'bench', 'cookie', 32),
);
const AAD = Buffer.from('bench baseline cookie v1');
const COOKIE = 'session';

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

function sessionOf(req) {
  const header = req.headers.cookie ?? '';
  const start = header.indexOf(`${COOKIE}=`);
  if (start === -1) return null;
  const end = header.indexOf(';', start);
  const payload = open(header.slice(start + COOKIE.length + 1, end === -1 ? undefined : end));
  return payload && Date.now() - payload.t < 31 * 24 * 3600 * 1000 ? payload : null;
}

function send(res, status, body, type = 'application/json; charset=utf-8', cookie) {
  const headers = { 'content-type': type, 'content-length': Buffer.byteLength(body) };
  if (cookie) headers['set-cookie'] = `${COOKIE}=${cookie}; Path=/; HttpOnly; Secure; SameSite=Lax`;
  res.writeHead(status, headers).end(body);
}

function readBody(req, done) {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    try {
      done(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    } catch {
      done(null);
    }
  });
}

function login(req, res, url) {
  const target = Number(url.searchParams.get('bytes') ?? 150);
  const payload = { t: Date.now(), p: 0, i: randomBytes(16).toString('hex'), d: { uid: 1 } };
  // A cookie of N characters holds 3N/4 raw bytes: 29 of them framing, the rest the JSON (`,"pad":""` is 9).
  const fill = Math.floor((target * 3) / 4) - 29 - JSON.stringify(payload).length - 9;
  payload.d.pad = 'x'.repeat(Math.max(0, fill));
  send(res, 200, '{"user":{"id":1}}', undefined, seal(JSON.stringify(payload)));
}

function dashboard(req, res) {
  const session = sessionOf(req);
  if (!session || session.d.uid === undefined) return send(res, 401, '{"error":"login required"}');
  if ((req.headers.accept ?? '').includes('text/html')) {
    const page = `<!doctype html><html><body><h1>Dashboard</h1><p>Signed in as user ${session.d.uid}.</p></body></html>`;
    return send(res, 200, page, 'text/html; charset=utf-8');
  }
  send(res, 200, JSON.stringify({ user: { id: session.d.uid, email: 'bench@example.com' } }));
}

function addItem(req, res) {
  readBody(req, (body) => {
    const session = sessionOf(req);
    if (!session || !body || typeof body.item !== 'string') return send(res, 400, '{}');
    const cart = Array.isArray(session.d.cart) ? session.d.cart : [];
    cart.push(body.item);
    session.d.cart = cart;
    const json = JSON.stringify({ items: cart, count: cart.length });
    send(res, 201, json, undefined, seal(JSON.stringify(session)));
  });
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const route = `${req.method} ${url.pathname}`;
  if (route === 'GET /healthz') return send(res, 200, '{"status":"ok"}');
  if (route === 'GET /dashboard') return dashboard(req, res);
  if (route === 'POST /cart/items') return addItem(req, res);
  if (route === 'POST /login') return login(req, res, url);
  send(res, 404, '{"error":"not found"}');
});
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.PORT ?? 3001), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)).closeAllConnections());
