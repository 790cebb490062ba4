#!/usr/bin/env bash
# Builds the binaries of the test control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler,
# the Argo Rollouts controller and kubectl plugin, kwok) from the Go module proxy, once per set of versions.
#
# Output: ~/.cache/mlflow-actions/k8s/<versions>/ with bin/, crds/ and kwok-stages/; the last line on stdout is
# that directory. A marker file is written only after every part built, so an interrupted build is redone; a
# flock lock keeps two test runs from building into the same directory. A cold build takes ~15 min on 2 cores:
# a progress line is printed at least every 30 s so CI does not look hung.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
gomod="$here/gomod"
k8s_version=v1.34.5
etcd_version=v3.6.4
rollouts_version=v1.10.1
kwok_version=v0.8.0

# The go.sum hash is part of the key: a changed module graph builds afresh instead of reusing stale binaries.
sum_hash=$(cat "$gomod/go.mod" "$gomod/go.sum" | sha256sum | cut -c1-12)
key="k8s-${k8s_version}_etcd-${etcd_version}_rollouts-${rollouts_version}_kwok-${kwok_version}_${sum_hash}"
cache_root="${MLFLOW_ACTIONS_CACHE:-$HOME/.cache/mlflow-actions}/k8s"
out="$cache_root/$key"
marker="$out/.built"

log() { printf '[k8s-build] %s\n' "$*" >&2; }

if [[ -f "$marker" ]]; then
  log "reusing $out"
  echo "$out"
  exit 0
fi

command -v go >/dev/null || { log "go is not on PATH: install Go >= $(sed -n 's/^go //p' "$gomod/go.mod")"; exit 1; }
command -v flock >/dev/null || { log "flock is not on PATH (util-linux)"; exit 1; }

mkdir -p "$cache_root"
exec 9>"$cache_root/$key.lock"
if ! flock -n 9; then
  log "another process is building $key; waiting for it"
  flock 9
fi
if [[ -f "$marker" ]]; then
  log "built by the other process: reusing $out"
  echo "$out"
  exit 0
fi

started=$(date +%s)
# Static binaries: no C toolchain needed, and they run on any Linux of the same architecture.
export CGO_ENABLED=0
work="$out.partial"
rm -rf "$work"
mkdir -p "$work/bin" "$work/crds" "$work/kwok-stages"

# Runs "$@" with its output in a log; prints a line every 30 s (elapsed time, packages compiled so far).
run_with_progress() {
  local what=$1
  shift
  local logfile="$work/$what.log"
  "$@" >"$logfile" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq 30); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "$what: still running, $(($(date +%s) - started)) s elapsed, $(wc -l <"$logfile") packages so far"
    fi
  done
  if ! wait "$pid"; then
    log "$what failed; last lines of $logfile:"
    tail -n 30 "$logfile" >&2
    exit 1
  fi
}

stamp() {
  local pkg=$1 version=$2
  local major minor
  major=$(echo "$version" | sed -E 's/^v([0-9]+)\..*/\1/')
  minor=$(echo "$version" | sed -E 's/^v[0-9]+\.([0-9]+)\..*/\1/')
  printf -- '-X %s.gitVersion=%s -X %s.gitMajor=%s -X %s.gitMinor=%s -X %s.gitTreeState=clean ' \
    "$pkg" "$version" "$pkg" "$major" "$pkg" "$minor" "$pkg"
}

# Without the version stamp /version answers v0.0.0-master and clients warn about the skew.
ldflags="-s -w $(stamp k8s.io/component-base/version "$k8s_version")$(stamp k8s.io/client-go/pkg/version "$k8s_version")"
ldflags+="-X github.com/argoproj/argo-rollouts/utils/version.version=$rollouts_version"

log "compiling etcd $etcd_version, Kubernetes $k8s_version, Argo Rollouts $rollouts_version" \
  "(cold: ~100 s of module downloads, ~12 min of compiling)"
(cd "$gomod" && run_with_progress go-build nice -n 10 go build -v -trimpath -ldflags "$ldflags" \
  -o "$work/bin/" \
  go.etcd.io/etcd/server/v3 \
  k8s.io/kubernetes/cmd/kube-apiserver \
  k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kube-scheduler \
  github.com/argoproj/argo-rollouts/cmd/rollouts-controller \
  github.com/argoproj/argo-rollouts/cmd/kubectl-argo-rollouts)
# go names the etcd binary after its package directory ("server", the /v3 suffix dropped).
mv "$work/bin/server" "$work/bin/etcd"

log "compiling kwok $kwok_version"
GOBIN="$work/bin" run_with_progress kwok-install \
  nice -n 10 go install -v -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$kwok_version"

modcache=$(go env GOMODCACHE)
cp "$modcache/github.com/argoproj/argo-rollouts@$rollouts_version"/manifests/crds/*-crd.yaml "$work/crds/"
# kwok's "fast" stages: nodes become Ready, pods Running and Ready, deleted pods go away at once.
for stage in node/fast/node-initialize pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete; do
  cp "$modcache/sigs.k8s.io/kwok@$kwok_version/kustomize/stage/$stage.yaml" "$work/kwok-stages/"
done
chmod -R u+w "$work"

for b in etcd kube-apiserver kube-controller-manager kube-scheduler rollouts-controller kubectl-argo-rollouts kwok; do
  [[ -x "$work/bin/$b" ]] || { log "missing binary $b after the build"; exit 1; }
done

rm -f "$work"/*.log
rm -rf "$out"
mv "$work" "$out"
date -u +%FT%TZ >"$marker"
log "built in $(($(date +%s) - started)) s: $out"
echo "$out"
