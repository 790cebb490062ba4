#!/usr/bin/env bash
# Installs one command-line tool shipped as a PyPI wheel into its own cached venv and prints the
# binary's path on the last line of stdout (progress goes to stderr).
#
#   install-pip-tool.sh <package> <version> <binary>
#
# The venv lives in ${XDG_CACHE_HOME:-$HOME/.cache}/mlflow-actions/<package>-<version>; a marker
# is written only after the install and a `--version` run succeeded, so a half-made venv is redone.
# Concurrent runs wait on one flock per package.
set -euo pipefail

if [[ $# -ne 3 ]]; then
  echo "usage: install-pip-tool.sh <package> <version> <binary>" >&2
  exit 2
fi
package="$1" version="$2" binary="$3"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/mlflow-actions"
dir="$CACHE_ROOT/$package-$version"
bin="$dir/venv/bin/$binary"
marker="$dir/.installed"
log() { echo "install-$package: $*" >&2; }

mkdir -p "$CACHE_ROOT"
command -v flock >/dev/null || { log "flock is not on PATH (install util-linux)"; exit 1; }
exec 9>"$CACHE_ROOT/.$package.install.lock"
if ! flock -n 9; then
  log "another install holds $CACHE_ROOT/.$package.install.lock; waiting"
  flock 9
fi

if [[ -f "$marker" && -x "$bin" ]]; then
  echo "$bin"
  exit 0
fi

python="${PYTHON:-python3}"
command -v "$python" >/dev/null || { log "$python is not on PATH; install Python 3.9 or newer"; exit 1; }
rm -rf "$dir"
mkdir -p "$dir"
log "installing $package==$version into $dir/venv..."
start=$SECONDS
"$python" -m venv "$dir/venv" >&2
# --only-binary: a wheel or nothing; a source build would need a Rust or Haskell toolchain.
"$dir/venv/bin/pip" install --quiet --disable-pip-version-check --only-binary=:all: "$package==$version" >&2
log "$("$bin" --version 2>&1 | head -n 2 | tr -s "\n" " ")installed in $((SECONDS - start))s"
touch "$marker"
echo "$bin"
