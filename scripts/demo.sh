#!/usr/bin/env bash
# The local end-to-end demo: starts a real MLflow server (installing MLflow on first use),
# seeds it like a data scientist would, and runs the committed action bundles against it the
# way the Actions runner does. Needs Node 20+, Python 3 and Go (MinIO is built from its Go module
# on first use); installs npm packages if they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund --prefer-offline; fi
exec node scripts/demo.mjs "$@"
