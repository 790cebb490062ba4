#!/usr/bin/env bash
# The local end-to-end demo of the seed pipeline: starts a real MLflow server (installing MLflow
# on first use) and seeds it like a data scientist would, then runs the committed action bundles
# the way the Actions runner does: mlflow-metadata, build-viewer, s3-publish to a local MinIO, and
# hiera-bump pushing to a local git server over smart HTTP. Needs Node 20+, Python 3, Go (MinIO is
# built from its Go module on first use) and git; installs npm packages if they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
# The bundles run on Node 24, the runtime action.yml names (fetched once into the cache if needed).
node24="$(node scripts/services/node24.mjs)"
export PATH="$(dirname "$node24"):$PATH"
if [ ! -f node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund --prefer-offline; fi
exec node scripts/demo.mjs "$@"
