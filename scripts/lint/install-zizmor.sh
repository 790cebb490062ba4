#!/usr/bin/env bash
# Installs zizmor (the GitHub Actions security linter) from its PyPI wheel and prints its path on
# the last line of stdout.
set -euo pipefail
exec bash "$(dirname "$0")/install-pip-tool.sh" zizmor "${ZIZMOR_VERSION:-1.32.0}" zizmor
