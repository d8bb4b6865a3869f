#!/usr/bin/env bash
# npm 12 runs a dependency's install script only when `allowScripts` in package.json approves it. This
# runs `npm ci` with npm 12 on a scratch copy of package.json and package-lock.json (what `npm ci` reads)
# and fails when a dependency has an install script that allowScripts neither approves nor denies
# (`--strict-allow-scripts`), or when npm says anything about install scripts; then it loads what the
# approved scripts build and what the app's build runs without its denied script.
# npm 12 is the machine's npm when that is 12 or later, else the `npm` package from the registry, installed
# once into NPM12_INSTALL_DIR (default ~/.cache/nest-session-starter/npm12).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

if [ "$(npm --version | cut -d. -f1)" -ge 12 ]; then
  npm12=(npm)
else
  dir="${NPM12_INSTALL_DIR:-$HOME/.cache/nest-session-starter/npm12}"
  if [ ! -f "$dir/node_modules/npm/bin/npm-cli.js" ]; then
    echo "npm $(npm --version) is older than 12: installing npm@12 from the registry into $dir"
    npm install --prefix "$dir" --no-audit --no-fund --no-save npm@12 >/dev/null
  fi
  npm12=(node "$dir/node_modules/npm/bin/npm-cli.js")
fi
echo "npm $("${npm12[@]}" --version) on Node $(node --version)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/npm12-ci.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cp "$ROOT/package.json" "$ROOT/package-lock.json" "$WORK/"
[ ! -f "$ROOT/.npmrc" ] || cp "$ROOT/.npmrc" "$WORK/"

code=0
(cd "$WORK" && "${npm12[@]}" ci --strict-allow-scripts --no-audit --no-fund) >"$WORK/ci.log" 2>&1 || code=$?
cat "$WORK/ci.log"
if grep -q 'ESTRICTALLOWSCRIPTS\|--strict-allow-scripts:' "$WORK/ci.log"; then
  echo "FAIL: a dependency has an install script that allowScripts in package.json does not review (above)." >&2
  echo "Read what it does, then \`npm install-scripts approve <pkg>\` (the app needs it to build or run) or" >&2
  echo "\`npm install-scripts deny <pkg>\` (it works without), and say why in docs/deployment.md." >&2
  exit 1
fi
[ "$code" = 0 ] || { echo "FAIL: npm 12 could not install (exit $code, above)" >&2 && exit 1; }
if grep -i 'warn install-scripts' "$WORK/ci.log"; then
  echo "FAIL: npm 12 warned about install scripts (above); allowScripts in package.json needs a look" >&2
  exit 1
fi

# The approved scripts' work (native addons) loads; the denied esbuild postinstall is not needed by the build.
(cd "$WORK" && node -e "
  new (require('better-sqlite3'))(':memory:').prepare('select 1').get();
  require('argon2');
  require('esbuild').transformSync('const a: number = 1', { loader: 'ts' });
") || { echo "FAIL: a package installed by npm 12 does not load (above)" >&2 && exit 1; }
echo "npm 12: every install script is reviewed by allowScripts; argon2, better-sqlite3 and esbuild load"
