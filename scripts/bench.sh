#!/usr/bin/env bash
# Runs the benchmarks in bench/<name>/run.mjs (all, or the ones named). Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
names=("$@")
[ ${#names[@]} -gt 0 ] || names=($(for d in bench/*/run.mjs; do basename "$(dirname "$d")"; done))
for n in "${names[@]}"; do
  echo "== bench/$n"
  node "bench/$n/run.mjs"
done
# Each bench writes its own section; Prettier aligns the tables as `npm run lint` expects.
npx --no-install prettier --log-level warn --write bench/RESULTS.md
