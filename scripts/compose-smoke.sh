#!/usr/bin/env bash
# Smoke test of a running stack (compose.yaml, after `docker compose up --wait`): /healthz, /readyz with
# PostgreSQL and Redis, a JSON register + login + dashboard through a cookie jar (the production cookie is
# Secure, which curl, like browsers, keeps for http://localhost), and Mailpit's web UI.
# Usage: scripts/compose-smoke.sh [app URL] [mail UI URL]  (defaults: compose.yaml's published ports)
set -euo pipefail

APP="${1:-http://localhost:3000}"
MAIL_UI="${2:-http://localhost:8025}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/compose-smoke.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# <method> <url> [json body] -> "<status> <body>"; cookies go through one jar, as a browser's would.
call() {
  curl -sS --max-time 10 -o "$WORK/body" -w '%{http_code}' -c "$WORK/jar" -b "$WORK/jar" -X "$1" "$2" \
    -H 'Accept: application/json' ${3:+-H 'Content-Type: application/json' --data "$3"} >"$WORK/status"
  printf '%s %s\n' "$(cat "$WORK/status")" "$(cat "$WORK/body")"
}

check() { # <what> <expected pattern> <method> <url> [json body]
  local res
  res="$(call "$3" "$4" "${5:-}")"
  echo "$1: $res"
  [[ "$res" == $2 ]] || fail "$1 answered $res"
}

check 'GET /healthz' '200 {"status":"ok"}' GET "$APP/healthz"
check 'GET /readyz' '200 *"status":"ok"*' GET "$APP/readyz"
grep -q '"sessionStore":"ok"' "$WORK/body" || fail "/readyz does not report the session store"
grep -q '"redis":"ok"' "$WORK/body" || fail "/readyz does not report Redis (is REDIS_URL set?)"

creds="{\"email\":\"smoke-$(date +%s)-$$@example.com\",\"password\":\"smoke-password-1\"}"
check 'POST /register' '201 *' POST "$APP/register" "$creds"
check 'POST /login' '200 *"user"*' POST "$APP/login" "$creds"
# Netscape cookie-jar fields: domain, subdomains, path, Secure, expiry, name, value.
awk -F'\t' '$6 ~ /session$/ && $4 == "TRUE" { found = 1 } END { exit !found }' "$WORK/jar" ||
  fail "login set no Secure session cookie that the client kept"
check 'GET /dashboard' '200 *smoke-*@example.com*' GET "$APP/dashboard"
check 'POST /logout' '204 *' POST "$APP/logout" '{}'
check 'GET /dashboard after logout' '401 *' GET "$APP/dashboard"

res="$(curl -sS --max-time 10 -o "$WORK/ui" -w '%{http_code}' "$MAIL_UI/" || true)"
echo "GET $MAIL_UI/: $res"
[ "$res" = 200 ] && grep -qi 'mailpit' "$WORK/ui" || fail "the mail UI at $MAIL_UI did not answer"

echo "== the stack works"
