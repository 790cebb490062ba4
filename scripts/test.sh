#!/usr/bin/env bash
# Runs every test: unit and contract tests, then integration tests against real services that
# the test setup installs on first use (cached under ~/.cache/mlflow-actions) and starts on
# 127.0.0.1. Works on a fresh machine with Node 20+, npm and Python 3.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --prefer-offline
fi
exec npx vitest run "$@"
