#!/usr/bin/env bash
# Installs an S3-compatible server for tests, demos and benchmarks, and prints its binary path
# on the last line of stdout (everything else goes to stderr).
#
# Preferred: MinIO built from its Go module (the Go module proxy is reachable here, release
# binaries from dl.min.io are not). Fallback: moto's server from PyPI in a venv, used when the
# MinIO build fails or when S3_SERVER=moto is set.
#
# Everything lives under ${XDG_CACHE_HOME:-$HOME/.cache}/mlflow-actions/minio so reruns on the same
# machine cost nothing. A marker file is written only after a build succeeded, so a build that
# was killed half-way is redone instead of trusted.
set -euo pipefail

# Pinned: MinIO's last published commit on the module proxy (upstream stopped cutting release
# binaries; `go list -m -json github.com/minio/minio@latest` shows newer ones if any appear).
MINIO_VERSION="${MINIO_VERSION:-v0.0.0-20260212201848-7aac2a2c5b7c}"
MOTO_VERSION="${MOTO_VERSION:-5.2.5}"

CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/mlflow-actions/minio"
mkdir -p "$CACHE_ROOT"

# Serialise concurrent installs (a test run and a demo started together) on one lock file.
exec 9>"$CACHE_ROOT/.install.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi

install_minio() {
  local dir="$CACHE_ROOT/$MINIO_VERSION"
  local bin="$dir/bin/minio"
  local marker="$dir/.installed"
  if [[ -f "$marker" && -x "$bin" ]]; then
    echo "$bin"
    return 0
  fi
  local go="${GO:-}"
  if [[ -z "$go" ]]; then
    if command -v go >/dev/null 2>&1; then go="$(command -v go)"; elif [[ -x /usr/local/go/bin/go ]]; then go=/usr/local/go/bin/go; else
      echo "install.sh: no Go toolchain found (PATH or /usr/local/go/bin/go)" >&2
      return 1
    fi
  fi
  rm -f "$marker" "$bin"
  mkdir -p "$dir/bin"
  echo "install.sh: building MinIO $MINIO_VERSION with $("$go" version) (this takes several minutes the first time)..." >&2
  local start=$SECONDS
  # Module downloads and the build cache live in the cache root too, so a killed build resumes
  # from what it had already compiled. GOFLAGS=-mod=mod: ignore any vendor directory.
  # nice: the build is CPU-heavy and the machine is usually shared.
  # A line every 30 s, so a first build of many minutes is not mistaken for a hang.
  (while sleep 30; do echo "install.sh: still building MinIO ($((SECONDS - start))s)" >&2; done) &
  local heartbeat=$!
  trap 'kill "$heartbeat" 2>/dev/null' RETURN
  if ! GOBIN="$dir/bin" GOPATH="$CACHE_ROOT/gopath" GOMODCACHE="$CACHE_ROOT/gomodcache" \
    GOCACHE="$CACHE_ROOT/gocache" GOFLAGS=-mod=mod GOTOOLCHAIN="${GOTOOLCHAIN:-local}" CGO_ENABLED=0 \
    nice -n 10 "$go" install -trimpath -ldflags '-s -w' "github.com/minio/minio@$MINIO_VERSION" >&2; then
    echo "install.sh: building MinIO failed (see above)" >&2
    return 1
  fi
  "$bin" --version >&2
  echo "install.sh: MinIO built in $((SECONDS - start))s" >&2
  touch "$marker"
  echo "$bin"
}

install_moto() {
  local dir="$CACHE_ROOT/moto-$MOTO_VERSION"
  local bin="$dir/venv/bin/moto_server"
  local marker="$dir/.installed"
  if [[ -f "$marker" && -x "$bin" ]]; then
    echo "$bin"
    return 0
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  echo "install.sh: installing moto[server]==$MOTO_VERSION into $dir/venv" >&2
  python3 -m venv "$dir/venv" >&2
  "$dir/venv/bin/pip" install --quiet "moto[server]==$MOTO_VERSION" >&2
  touch "$marker"
  echo "$bin"
}

if [[ "${S3_SERVER:-minio}" == "moto" ]]; then
  install_moto
elif ! install_minio; then
  echo "install.sh: falling back to moto's server" >&2
  install_moto
fi
