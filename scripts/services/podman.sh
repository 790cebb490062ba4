#!/usr/bin/env bash
# Gives the `docker` CLI an engine on machines that have none: installs podman and runc from apt,
# configures them for this kind of host, and serves podman's Docker-compatible API on a unix socket.
# Idempotent; tests (test/setup/containers.global.ts) and CI call it, nothing is assumed installed.
#
#   podman.sh install          install and configure (no service)
#   podman.sh start [SOCKET]   install, then print "reused" if SOCKET already answers, or start
#                              `podman system service` in the background and print its PID
#
# Why these settings: crun fails on this kernel's cgroups (runc works), and the default ulimits
# podman applies to containers cannot be set here.
set -euo pipefail
SOCKET="${2:-${PODMAN_SOCKET:-/run/podman-docker.sock}}"
CONF=/etc/containers/containers.conf
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

install() {
  if ! command -v podman >/dev/null 2>&1 || ! command -v runc >/dev/null 2>&1; then
    command -v apt-get >/dev/null 2>&1 || { echo "podman.sh: podman is missing and apt-get is not available" >&2; exit 1; }
    exec 9>/tmp/podman-install.lock
    flock 9
    if ! command -v podman >/dev/null 2>&1 || ! command -v runc >/dev/null 2>&1; then
      echo "podman.sh: installing podman and runc (first run on this machine)" >&2
      export DEBIAN_FRONTEND=noninteractive
      $SUDO apt-get update -qq
      $SUDO apt-get install -y -qq podman runc >/dev/null
    fi
    exec 9>&-
  fi
  if ! grep -q '^# mlflow-actions' "$CONF" 2>/dev/null; then
    $SUDO mkdir -p /etc/containers
    $SUDO tee "$CONF" >/dev/null <<'CONFEOF'
# mlflow-actions: written by scripts/services/podman.sh
[containers]
default_ulimits = []

[engine]
runtime = "runc"
CONFEOF
  fi
}

answers() {
  curl -sf --max-time 2 --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1
}

start() {
  install
  if answers; then
    echo reused
    return
  fi
  $SUDO rm -f "$SOCKET"
  # setsid: the service outlives this script; the caller stops it by the PID printed here.
  setsid podman system service --time=0 "unix://$SOCKET" >/tmp/podman-service.log 2>&1 </dev/null &
  local pid=$!
  for _ in $(seq 1 100); do
    if answers; then
      echo "$pid"
      return
    fi
    kill -0 "$pid" 2>/dev/null || { echo "podman.sh: podman system service exited: $(tail -5 /tmp/podman-service.log)" >&2; exit 1; }
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true
  echo "podman.sh: podman system service did not answer on $SOCKET within 10 s" >&2
  exit 1
}

case "${1:-start}" in
  install) install ;;
  start) start ;;
  *) echo "usage: podman.sh install|start [SOCKET]" >&2; exit 2 ;;
esac
