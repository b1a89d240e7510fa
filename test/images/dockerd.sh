#!/usr/bin/env bash
# A Docker daemon of the test harness's own, never the machine's:
#
#   test/images/dockerd.sh start    # idempotent; prints DOCKER_HOST=... to export
#   test/images/dockerd.sh stop     # stops only the daemons our pidfiles name
#   test/images/dockerd.sh status   # exit 0 when it answers, 1 when not
#
# It has its own socket, exec root and containerd under /run/hypertune-docker,
# and its images under ${XDG_CACHE_HOME:-$HOME/.cache}/hypertune/docker, so a
# cold cache means cold images. It changes no iptables rules and makes no
# bridge: builds and test containers use --network host (or none).
set -euo pipefail

RUN_DIR=/run/hypertune-docker
SOCKET=$RUN_DIR/docker.sock
DOCKER_HOST_URL=unix://$SOCKET
DOCKERD_PIDFILE=$RUN_DIR/dockerd.pid
CONTAINERD_DIR=$RUN_DIR/containerd
CONTAINERD_SOCKET=$CONTAINERD_DIR/containerd.sock
CONTAINERD_PIDFILE=$RUN_DIR/containerd.pid
DATA_ROOT=${XDG_CACHE_HOME:-${HOME:?HOME or XDG_CACHE_HOME must be set}/.cache}/hypertune/docker
# The distribution's binaries by absolute path: a `containerd` on PATH may be
# the test cluster's v2 build, and /usr/local/sbin may hold a runc wrapper.
DAEMON_PATH=/usr/sbin:/usr/bin:/sbin:/bin
START_TIMEOUT_S=60
STOP_TIMEOUT_S=30

log() { echo "dockerd.sh: $*" >&2; }
die() { log "$*"; exit 1; }

# One message naming everything that is missing, rather than one per run.
preflight() {
  local missing=() tool
  [ "$(id -u)" -eq 0 ] || die "must run as root (dockerd needs it); try: sudo $0 $*"
  for tool in dockerd containerd containerd-shim-runc-v2 runc; do
    PATH=$DAEMON_PATH command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  command -v docker >/dev/null 2>&1 || missing+=(docker)
  [ ${#missing[@]} -eq 0 ] ||
    die "${missing[*]} not found: apt-get install docker.io (Debian/Ubuntu; it brings containerd and runc)"
}

# alive PIDFILE COMM: true when PIDFILE names a live process called COMM, so
# a stale pidfile whose number was reused is never mistaken for our daemon.
alive() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ]
}

# running PIDFILE: the process exists, whatever it is called yet (a daemon
# just spawned is still setsid or env for a moment before it execs).
running() { kill -0 "$(cat "$1" 2>/dev/null)" 2>/dev/null; }

answers() { docker -H "$DOCKER_HOST_URL" info >/dev/null 2>&1; }
containerd_ready() { alive "$CONTAINERD_PIDFILE" containerd && [ -S "$CONTAINERD_SOCKET" ]; }

# Written at every start, so an edit here takes effect at the next start.
# The CRI plugin is off: this containerd only serves dockerd.
write_containerd_config() {
  cat >"$RUN_DIR/containerd.toml" <<EOF
version = 2
root = "$DATA_ROOT/containerd"
state = "$CONTAINERD_DIR/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]

[grpc]
  address = "$CONTAINERD_SOCKET"

[plugins."io.containerd.internal.v1.opt"]
  path = "$DATA_ROOT/containerd/opt"
EOF
}

# spawn LOG CMD...: a daemon in its own session, so a Ctrl-C meant for the
# caller does not reach it; prints its pid. A clean environment keeps the
# caller's DOCKER_* and proxy settings out of the daemon, and it must not
# inherit the lock (fd 9), which it would then hold for as long as it runs.
spawn() {
  local logfile=$1
  shift
  setsid env -i PATH="$DAEMON_PATH" HOME="${HOME:-/root}" "$@" >"$logfile" 2>&1 </dev/null 9>&- &
  echo $!
}

# wait_for SECONDS PIDFILE CHECK...: until CHECK succeeds; fails early if the
# daemon has died.
wait_for() {
  local deadline=$((SECONDS + $1)) pidfile=$2
  shift 2
  until "$@"; do
    running "$pidfile" || return 1
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

start_containerd() {
  containerd_ready && return 0
  write_containerd_config
  spawn "$DATA_ROOT/containerd.log" containerd --config "$RUN_DIR/containerd.toml" >"$CONTAINERD_PIDFILE"
  wait_for 30 "$CONTAINERD_PIDFILE" containerd_ready ||
    fail_start "containerd did not start" "$DATA_ROOT/containerd.log"
}

start_dockerd() {
  # An empty config file, so the machine's /etc/docker/daemon.json is not read.
  echo '{}' >"$RUN_DIR/daemon.json"
  # spawn's pid is ignored: dockerd writes its own pidfile.
  spawn "$DATA_ROOT/dockerd.log" dockerd \
    --host "$DOCKER_HOST_URL" \
    --exec-root "$RUN_DIR/exec" \
    --pidfile "$DOCKERD_PIDFILE" \
    --data-root "$DATA_ROOT" \
    --config-file "$RUN_DIR/daemon.json" \
    --containerd "$CONTAINERD_SOCKET" \
    --iptables=false --ip6tables=false --ip-masq=false --bridge=none >/dev/null
  # The pidfile appears a moment after the process starts.
  local deadline=$((SECONDS + 10))
  until alive "$DOCKERD_PIDFILE" dockerd; do
    [ "$SECONDS" -lt "$deadline" ] || fail_start "dockerd did not start" "$DATA_ROOT/dockerd.log"
    sleep 0.2
  done
  wait_for "$START_TIMEOUT_S" "$DOCKERD_PIDFILE" answers ||
    fail_start "dockerd did not answer within ${START_TIMEOUT_S}s" "$DATA_ROOT/dockerd.log"
}

# fail_start MESSAGE LOG: show why, and leave nothing half-started behind
# (containerd's pid is its spawn's, so it is ours even before it has exec'd).
fail_start() {
  log "$1; last lines of $2:"
  tail -n 20 "$2" >&2 || true
  if running "$CONTAINERD_PIDFILE" && ! alive "$CONTAINERD_PIDFILE" containerd; then
    kill -KILL "$(cat "$CONTAINERD_PIDFILE")" 2>/dev/null || true
  fi
  stop
  exit 1
}

# One start or stop at a time, so that two test runs starting together
# share one daemon. The lock file lives with the data, not in the run dir
# that stop removes.
lock() {
  mkdir -p "$DATA_ROOT"
  command -v flock >/dev/null 2>&1 || return 0
  exec 9>"$DATA_ROOT/.dockerd.lock"
  flock 9
}

start() {
  lock
  if alive "$DOCKERD_PIDFILE" dockerd; then
    # Another caller's daemon may still be starting: wait for it.
    wait_for "$START_TIMEOUT_S" "$DOCKERD_PIDFILE" answers ||
      die "dockerd (pid $(cat "$DOCKERD_PIDFILE")) runs but does not answer; see $DATA_ROOT/dockerd.log"
    log "already running (pid $(cat "$DOCKERD_PIDFILE"))"
  else
    mkdir -p "$RUN_DIR"
    start_containerd
    start_dockerd
    log "started (pid $(cat "$DOCKERD_PIDFILE")); logs in $DATA_ROOT/{dockerd,containerd}.log"
  fi
  echo "DOCKER_HOST=$DOCKER_HOST_URL"
}

# stop_one PIDFILE COMM: TERM the process the pidfile names, wait for it to
# exit, then KILL it if it would not.
stop_one() {
  alive "$1" "$2" || return 0
  local pid deadline=$((SECONDS + STOP_TIMEOUT_S))
  pid=$(cat "$1")
  kill -TERM "$pid"
  while alive "$1" "$2"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "$2 (pid $pid) did not exit within ${STOP_TIMEOUT_S}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    sleep 0.2
  done
}

stop() {
  # dockerd first: it stops its containers through containerd.
  stop_one "$DOCKERD_PIDFILE" dockerd
  stop_one "$CONTAINERD_PIDFILE" containerd
  [ -d "$RUN_DIR" ] || return 0
  # dockerd pins the host's network namespace under exec/netns and leaves
  # it mounted when it exits; nothing uses it once the daemons are gone.
  mounts_under "$RUN_DIR" nsfs | xargs -r -n1 umount
  # Any other mount means a container outlived its daemon: removing the dir
  # would not get rid of it, so say so instead.
  if [ -n "$(mounts_under "$RUN_DIR")" ]; then
    die "mounts remain under $RUN_DIR (findmnt -R $RUN_DIR); not removing it"
  fi
  rm -rf --one-file-system "$RUN_DIR"
}

# mounts_under DIR [FSTYPE]: mount points below DIR, deepest first.
mounts_under() {
  findmnt -rn -o TARGET,FSTYPE |
    awk -v dir="$1/" -v type="${2:-}" 'index($1, dir) == 1 && (type == "" || $2 == type) { print $1 }' |
    sort -r
}

status() {
  if alive "$DOCKERD_PIDFILE" dockerd && answers; then
    echo "running (pid $(cat "$DOCKERD_PIDFILE")) DOCKER_HOST=$DOCKER_HOST_URL"
  else
    echo "not running"
    return 1
  fi
}

main() {
  case "${1:-}" in
    start) preflight "$@" && start ;;
    stop) preflight "$@" && lock && stop && log "stopped" ;;
    status) status ;;
    *) die "usage: $0 start|stop|status" ;;
  esac
}

main "$@"
