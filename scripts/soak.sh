#!/usr/bin/env bash
# The reliability suites at full strength (docs/RELIABILITY.md): >=10,000 hostile cookies per platform and
# store, 1,000 bodies per POST route, 200 users x 20 cart items, on top of the fault and shutdown tests.
# Needs the same services as `npm test` (Redis at REDIS_URL or 127.0.0.1:6379, PostgreSQL at DATABASE_URL).
# Replay a failure with RELIABILITY_SEED=<seed printed by fast-check>.
set -euo pipefail
cd "$(dirname "$0")/.."
export RELIABILITY_PROFILE=full
npm run build
started=$(date +%s)
npx jest --config ./test/jest-e2e.json --runInBand test/e2e/reliability "$@"
echo "soak finished in $(($(date +%s) - started)) s (RELIABILITY_SEED=${RELIABILITY_SEED:-20261122})"
