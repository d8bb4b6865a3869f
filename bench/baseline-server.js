'use strict';
/**
 * The floor the app is measured against: bare `node:http`, no framework, the same cookie crypto as the
 * cookie store (lib/cookie-crypto.js).
 *   POST /login?bytes=N  seals a session padded to about N cookie characters and sets it
 *   GET  /dashboard      opens the cookie, answers small JSON (or a small page for Accept: text/html)
 *   POST /cart/items     opens, appends `item` from the JSON body, reseals and sets the cookie
 *   GET  /healthz        {"status":"ok"}
 * Env: PORT, HOST (127.0.0.1), SECRET_KEY.
 */
const http = require('node:http');
const { DASHBOARD_PAGE, loginCookie, seal, sessionOf, setCookie } = require('./lib/cookie-crypto');

function send(res, status, body, type = 'application/json; charset=utf-8', cookie) {
  const headers = { 'content-type': type, 'content-length': Buffer.byteLength(body) };
  if (cookie) headers['set-cookie'] = cookie;
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
  const cookie = loginCookie(Number(url.searchParams.get('bytes') ?? 150));
  send(res, 200, '{"user":{"id":1}}', undefined, cookie);
}

function dashboard(req, res) {
  const session = sessionOf(req.headers.cookie);
  if (!session || session.d.uid === undefined) return send(res, 401, '{"error":"login required"}');
  if ((req.headers.accept ?? '').includes('text/html')) {
    return send(res, 200, DASHBOARD_PAGE(session.d.uid), 'text/html; charset=utf-8');
  }
  send(res, 200, JSON.stringify({ user: { id: session.d.uid, email: 'bench@example.com' } }));
}

function addItem(req, res) {
  readBody(req, (body) => {
    const session = sessionOf(req.headers.cookie);
    if (!session || !body || typeof body.item !== 'string') return send(res, 400, '{}');
    const cart = Array.isArray(session.d.cart) ? session.d.cart : [];
    cart.push(body.item);
    session.d.cart = cart;
    const json = JSON.stringify({ items: cart, count: cart.length });
    send(res, 201, json, undefined, setCookie(seal(JSON.stringify(session))));
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
