#!/usr/bin/env bash
# Installs Debian's Chromium for the viewer's browser tests (driven by playwright-core, which
# brings no browser of its own). Idempotent: does nothing when /usr/bin/chromium is there.
set -euo pipefail
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium.sh: $CHROMIUM is missing and apt-get is not available: install Chromium by hand" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
# Serialise concurrent installs (several vitest projects may start at once).
exec 9>/tmp/chromium-install.lock
flock 9
if [ -x "$CHROMIUM" ]; then exit 0; fi
echo "chromium.sh: installing Debian's chromium (first run on this machine)" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null
[ -x "$CHROMIUM" ] || { echo "chromium.sh: apt-get finished but $CHROMIUM is still missing" >&2; exit 1; }
"$CHROMIUM" --version >&2
