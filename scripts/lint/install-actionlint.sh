#!/usr/bin/env bash
# Installs actionlint (the GitHub Actions workflow linter) from its Go module and prints the
# binary's path on the last line of stdout (progress goes to stderr).
#
# Built with `go install` into ${XDG_CACHE_HOME:-$HOME/.cache}/mlflow-actions/actionlint/<version>,
# so reruns cost nothing; a marker is written only after a build succeeded, so a build that was
# killed half-way is redone instead of trusted. Concurrent runs wait on one flock.
set -euo pipefail

ACTIONLINT_VERSION="${ACTIONLINT_VERSION:-v1.7.12}"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/mlflow-actions/actionlint"
log() { echo "install-actionlint: $*" >&2; }

mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE_ROOT/.install.lock"
command -v flock >/dev/null || { log "flock is not on PATH (install util-linux)"; exit 1; }
if ! flock -n 9; then
  log "another install holds $CACHE_ROOT/.install.lock; waiting"
  flock 9
fi

dir="$CACHE_ROOT/$ACTIONLINT_VERSION"
bin="$dir/bin/actionlint"
marker="$dir/.installed"
if [[ -f "$marker" && -x "$bin" ]]; then
  echo "$bin"
  exit 0
fi

go="${GO:-}"
if [[ -z "$go" ]]; then
  if command -v go >/dev/null 2>&1; then go="$(command -v go)"
  elif [[ -x /usr/local/go/bin/go ]]; then go=/usr/local/go/bin/go
  else log "no Go toolchain found (PATH or /usr/local/go/bin/go); install Go 1.24 or newer"; exit 1
  fi
fi

rm -f "$marker" "$bin"
mkdir -p "$dir/bin"
log "building actionlint $ACTIONLINT_VERSION with $("$go" version)..."
start=$SECONDS
# A line every 20 s, so a first build is not mistaken for a hang (without the lock's descriptor,
# so a sleeping heartbeat never holds the lock after the build).
(exec 9>&-; while sleep 20; do log "still building ($((SECONDS - start))s)"; done) >/dev/null &
heartbeat=$!
trap 'kill "$heartbeat" 2>/dev/null || true' EXIT
# The module and build caches live in the cache root too, so a killed build resumes.
if ! GOBIN="$dir/bin" GOPATH="$CACHE_ROOT/gopath" GOMODCACHE="$CACHE_ROOT/gomodcache" \
  GOCACHE="$CACHE_ROOT/gocache" GOFLAGS=-mod=mod GOTOOLCHAIN="${GOTOOLCHAIN:-local}" CGO_ENABLED=0 \
  nice -n 10 "$go" install -trimpath -ldflags '-s -w' "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" >&2; then
  log "building actionlint failed (see above)"
  exit 1
fi
log "$("$bin" -version | head -1) built in $((SECONDS - start))s"
touch "$marker"
echo "$bin"
