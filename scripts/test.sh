#!/usr/bin/env bash
# Runs every test: unit and contract tests, then integration tests against real services that
# the test setup installs on first use (cached under ~/.cache/mlflow-actions) and starts on
# 127.0.0.1. Everything runs on Node 24, the runtime action.yml names (fetched once into the cache
# when the machine's Node is older): npm ci, vitest, and every bundle a test starts.
set -euo pipefail
cd "$(dirname "$0")/.."
node24="$(node scripts/services/node24.mjs)"
export PATH="$(dirname "$node24"):$PATH"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --prefer-offline
fi
# Every temporary folder a test, a bundle or a service makes goes under one folder of this run,
# removed when the run ends however it ends, so the machine's temp directory is left as it was.
export TMPDIR="$(mktemp -d "${TMPDIR:-/tmp}/mlflow-actions-test.XXXXXX")"
trap 'rm -rf "$TMPDIR"' EXIT
npx vitest run "$@"
