#!/usr/bin/env bash
# Runs the benchmarks in bench/<name>/run.mjs (all, or the ones named). Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
names=("$@")
[ ${#names[@]} -gt 0 ] || names=($(ls bench | grep -v RESULTS.md))
for n in "${names[@]}"; do
  echo "== bench/$n"
  node "bench/$n/run.mjs"
done
