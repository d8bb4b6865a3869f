#!/usr/bin/env bash
# Proves the Dockerfile's recipe without a Docker engine: replays the build stage (its COPY lines and npm
# commands) in a clean temporary folder, assembles the runtime stage from what it copies out of the build
# stage, starts it with the runtime stage's ENV and CMD, and checks that
#   1. without SECRET_KEY it exits 78 with the message within 5 s;
#   2. with a strong key /healthz and the stylesheet answer, and a JSON register + login + dashboard works;
#   3. no development-only package (package-lock.json's "dev", or "devOptional": a devDependency that a
#      production package names as an optional peer, pruned with the optional ones) is left in the shipped
#      node_modules, and the app ran without them.
# Traffic goes to 127.0.0.1 only; every wait is bounded; the app is stopped by pid; the folder is removed.
# Set KEEP_RECIPE_DIR=1 to keep the folder for inspection.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DOCKERFILE="$ROOT/Dockerfile"
STEPS="$ROOT/scripts/dockerfile-steps.js"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/image-recipe.XXXXXX")"
BUILD="$WORK/build"
RUNTIME="$WORK/runtime"
APP_PID=""

stop_app() {
  [ -n "$APP_PID" ] || return 0
  if kill -0 "$APP_PID" 2>/dev/null; then
    kill -TERM "$APP_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$APP_PID" 2>/dev/null || true
  fi
  wait "$APP_PID" 2>/dev/null || true
  APP_PID=""
}
cleanup() {
  stop_app
  if [ "${KEEP_RECIPE_DIR:-}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Maps an image path (/app/…) to the folder standing in for that stage's filesystem.
host_path() { # <stage root> <workdir> <path>
  case "$3" in
    /app | /app/*) echo "$1${3#/app}" ;;
    /*) fail "the recipe uses $3, outside /app; teach this script about it" ;;
    *) echo "$1${2#/app}/$3" ;;
  esac
}

# Copies sources into dest the way COPY does: a folder's contents, or files into a folder.
copy_into() { # <dest> <src>…
  local dest="$1" src
  shift
  mkdir -p "$dest"
  for src in "$@"; do
    if [ -d "$src" ]; then cp -a "$src/." "$dest/"; else cp -a "$src" "$dest/"; fi
  done
}

echo "== build stage (in $BUILD)"
for tool in python3 make g++; do
  command -v "$tool" >/dev/null || fail "$tool is missing: better-sqlite3 may need it to compile"
done
workdir=/app
# npm's cache makes `npm ci` fast here; in Docker the cache is empty and it downloads.
export npm_config_prefer_offline=true npm_config_update_notifier=false
while IFS=$'\t' read -r -a step; do
  case "${step[0]}" in
    WORKDIR) workdir="${step[1]}" && mkdir -p "$(host_path "$BUILD" / "$workdir")" ;;
    COPY)
      (cd "$ROOT" && copy_into "$(host_path "$BUILD" "$workdir" "${step[1]}")" "${step[@]:2}")
      echo "copied ${step[*]:2}"
      ;;
    RUN)
      if [[ "${step[1]}" == npm\ * ]]; then
        echo "\$ ${step[1]}"
        (cd "$(host_path "$BUILD" "$workdir" .)" && timeout 300 bash -c "${step[1]}") ||
          fail "'${step[1]}' failed (or took over 300 s)"
      else
        echo "skipped (system packages, done by the image): ${step[1]}"
      fi
      ;;
    *) fail "unexpected build-stage step ${step[0]}" ;;
  esac
done < <(node "$STEPS" "$DOCKERFILE" build)

echo "== runtime stage (in $RUNTIME)"
runtime_env=()
cmd=()
workdir=/app
while IFS=$'\t' read -r -a step; do
  case "${step[0]}" in
    WORKDIR) workdir="${step[1]}" ;;
    ENV) runtime_env+=("${step[1]}=${step[2]//\/app/$RUNTIME}") ;;
    COPY_FROM)
      [ "${step[1]}" = build ] || fail "COPY --from=${step[1]}: only the build stage is replayed"
      dest="$(host_path "$RUNTIME" "$workdir" "${step[2]}")"
      for src in "${step[@]:3}"; do
        copy_into "$dest" "$(host_path "$BUILD" /app "$src")"
        echo "copied $src"
      done
      ;;
    RUN) echo "skipped (folder ownership, done by the image): ${step[1]}" ;;
    CMD) cmd=("${step[@]:1}") ;;
    *) fail "unexpected runtime-stage step ${step[0]}" ;;
  esac
done < <(node "$STEPS" "$DOCKERFILE" runtime)
[ "${#cmd[@]}" -gt 0 ] || fail "the runtime stage has no CMD"
mkdir -p "$RUNTIME/instance"

echo "== no devDependencies in the shipped node_modules"
# package-lock.json marks "dev" every package that only devDependencies pull in: each must be gone. A
# devDependency that production also pulls in (ajv, through fastify) is not marked, and stays.
mapfile -t dev_only < <(node -e "
  const { packages } = require('$ROOT/package-lock.json');
  for (const [key, entry] of Object.entries(packages)) if (entry.dev || entry.devOptional) console.log(key);
")
for key in "${dev_only[@]}"; do
  [ ! -e "$RUNTIME/$key" ] || fail "development-only package ${key##*node_modules/} ($key) was shipped"
done
mapfile -t dev_deps < <(node -e "
  const { packages } = require('$ROOT/package-lock.json');
  for (const name of Object.keys(require('$ROOT/package.json').devDependencies))
    if (packages['node_modules/' + name]?.dev || packages['node_modules/' + name]?.devOptional) console.log(name);
")
for dep in jest typescript @nestjs/cli ts-node; do
  [[ " ${dev_deps[*]} " == *" $dep "* ]] || fail "$dep is no longer a development-only package"
done
echo "none of ${#dev_deps[@]} devDependencies present (typescript, @nestjs/cli, jest among them)," \
  "nor any of the ${#dev_only[@]} development-only packages"

PORT="$(node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})")"
BASE="http://127.0.0.1:$PORT"
# Exactly the image's environment (no variable of this shell leaks in), listening on 127.0.0.1 only.
run_env=(env -i "PATH=$PATH" "${runtime_env[@]}" HOST=127.0.0.1 "PORT=$PORT")
echo "\$ ${runtime_env[*]} ${cmd[*]} (HOST=127.0.0.1 PORT=$PORT)"

echo "== 1. without SECRET_KEY: exit 78 with the message within 5 s"
code=0
(cd "$RUNTIME" && timeout 5 "${run_env[@]}" "${cmd[@]}") >"$WORK/nokey.out" 2>"$WORK/nokey.err" || code=$?
cat "$WORK/nokey.err"
[ "$code" = 78 ] || fail "expected exit 78, got $code (124 means it was still running after 5 s)"
grep -q "SECRET_KEY (default): is missing" "$WORK/nokey.err" || fail "the message does not name SECRET_KEY"

echo "== 2. with a strong key: /healthz, register, login, dashboard"
key="$(node -e "process.stdout.write(require('node:crypto').randomBytes(32).toString('hex'))")"
(cd "$RUNTIME" && exec "${run_env[@]}" "SECRET_KEY=$key" "${cmd[@]}") >"$WORK/app.out" 2>"$WORK/app.err" &
APP_PID=$!
up=""
for _ in $(seq 1 150); do
  kill -0 "$APP_PID" 2>/dev/null || { cat "$WORK/app.err"; fail "the app exited at boot"; }
  if curl -fsS --max-time 2 "$BASE/healthz" >"$WORK/healthz" 2>/dev/null; then up=1 && break; fi
  sleep 0.1
done
[ -n "$up" ] || fail "/healthz did not answer within 15 s"
echo "/healthz: $(cat "$WORK/healthz")"
# The stylesheet is a file beside the bundle (dist/bundle/public): the image must carry it.
css_type="$(curl -fsS --max-time 5 -o /dev/null -w '%{content_type}' "$BASE/assets/app.css")" ||
  fail "/assets/app.css did not answer 200"
[[ "$css_type" == text/css* ]] || fail "/assets/app.css answered $css_type"
echo "GET /assets/app.css: 200 $css_type"
# The passkey pages' browser library is read from its package in the pruned node_modules.
js_type="$(curl -fsS --max-time 5 -o /dev/null -w '%{content_type}' "$BASE/assets/simplewebauthn-browser.js")" ||
  fail "/assets/simplewebauthn-browser.js did not answer 200"
[[ "$js_type" == text/javascript* ]] || fail "/assets/simplewebauthn-browser.js answered $js_type"
echo "GET /assets/simplewebauthn-browser.js: 200 $js_type"

# The cookie is Secure and named __Host-session (production defaults) and this is plain http, so it is
# carried by hand.
cookie=""
json() { # <method> <path> [body] -> prints "<status> <body>"; keeps the session cookie it is given
  local status
  status="$(curl -sS --max-time 10 -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' -X "$1" "$BASE$2" \
    -H 'Content-Type: application/json' -H 'Accept: application/json' \
    ${cookie:+-H "Cookie: $cookie"} ${3:+--data "$3"})"
  local set
  set="$(sed -n 's/^[Ss]et-[Cc]ookie: \(\(__Host-\)\{0,1\}session=[^;]*\).*/\1/p' "$WORK/headers" | tail -1)"
  [ -z "$set" ] || cookie="$set"
  printf '%s %s\n' "$status" "$(cat "$WORK/body")"
}
creds='{"email":"recipe@example.com","password":"recipe-password-1"}'
json POST /register "$creds" >"$WORK/res" && res="$(cat "$WORK/res")" && echo "POST /register: $res"
[[ "$res" == 201\ * ]] || fail "register answered $res"
cookie=""
json POST /login "$creds" >"$WORK/res" && res="$(cat "$WORK/res")" && echo "POST /login: $res"
[[ "$res" == 200\ *recipe@example.com* ]] || fail "login answered $res"
[ -n "$cookie" ] || fail "login set no session cookie"
grep -Ei '^set-cookie: (__Host-)?session=' "$WORK/headers" | grep -q '; Secure' || fail "the session cookie is not Secure"
json GET /dashboard >"$WORK/res" && res="$(cat "$WORK/res")" && echo "GET /dashboard: $res"
[[ "$res" == 200\ *recipe@example.com* ]] || fail "the dashboard answered $res"
stop_app

echo "== the image recipe works"
