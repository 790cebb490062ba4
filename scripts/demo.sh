#!/usr/bin/env bash
# The local end-to-end demo: starts a real MLflow server (installing MLflow on first use),
# seeds it like a data scientist would, and runs the committed action bundles against it the
# way the Actions runner does. Needs Node 20+ and Python 3; no npm install.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node scripts/demo.mjs "$@"
