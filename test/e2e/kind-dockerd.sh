#!/usr/bin/env bash
# The Docker daemon that test/e2e/kind.sh runs kind against: the test's own,
# never the machine's, and not test/images/dockerd.sh's either (that one has
# no bridge; kind needs a docker network and iptables for it).
#
#   test/e2e/kind-dockerd.sh start    # idempotent; prints DOCKER_HOST=... to export
#   test/e2e/kind-dockerd.sh stop     # removes its networks, stops it, undoes its iptables chains
#   test/e2e/kind-dockerd.sh status   # exit 0 when it answers, 1 when not
#
# Its socket, exec root and containerd are under /run/hypertune-kind-docker,
# its images under ${XDG_CACHE_HOME:-$HOME/.cache}/hypertune/kind-docker.
# Its default runtime is runc-capdrop (test/e2e/runc-capdrop, built here into
# .../hypertune/kind/bin): Docker 20.10's --privileged asks for every kernel
# capability, and where root's bounding set lacks one (CAP_SYS_RESOURCE on
# some VMs) runc fails "unable to apply caps"; the wrapper drops those from
# the spec, then runs the distribution's runc.
#
# Host changes, all undone by stop: the bridges of the networks kind makes
# (docker removes them with the network), dockerd's DOCKER* iptables chains
# and the jumps to them (removed only when this daemon made them: none
# existed at start), and an nsfs mount under the run dir.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache_root=${XDG_CACHE_HOME:-${HOME:?HOME or XDG_CACHE_HOME must be set}/.cache}/hypertune
RUN_DIR=/run/hypertune-kind-docker
SOCKET=$RUN_DIR/docker.sock
DOCKER_HOST_URL=unix://$SOCKET
DOCKERD_PIDFILE=$RUN_DIR/dockerd.pid
CONTAINERD_DIR=$RUN_DIR/containerd
CONTAINERD_SOCKET=$CONTAINERD_DIR/containerd.sock
CONTAINERD_PIDFILE=$RUN_DIR/containerd.pid
DATA_ROOT=$cache_root/kind-docker
BIN=$cache_root/kind/bin
CAPDROP=$BIN/runc-capdrop
# Whether this daemon made dockerd's iptables chains (then stop removes them).
# Kept with the data, not in the run dir, so a crashed run's stop still knows.
CHAINS_MARK=$DATA_ROOT/.owns-iptables-chains
# The distribution's binaries by absolute path: a `containerd` on PATH may be
# the test cluster's v2 build.
DAEMON_PATH=/usr/sbin:/usr/bin:/sbin:/bin
START_TIMEOUT_S=60
STOP_TIMEOUT_S=30
FILTER_CHAINS=(DOCKER-USER DOCKER-ISOLATION-STAGE-1 DOCKER-ISOLATION-STAGE-2 DOCKER)

log() { echo "kind-dockerd.sh: $*" >&2; }
die() { log "$*"; exit 1; }

preflight() {
  local missing=() tool
  [ "$(id -u)" -eq 0 ] || die "must run as root (dockerd needs it); try: sudo $0 $*"
  for tool in dockerd containerd containerd-shim-runc-v2 runc iptables; do
    PATH=$DAEMON_PATH command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  command -v docker >/dev/null 2>&1 || missing+=(docker)
  [ ${#missing[@]} -eq 0 ] ||
    die "${missing[*]} not found: apt-get install docker.io iptables (Debian/Ubuntu)"
}

alive() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ]
}
running() { kill -0 "$(cat "$1" 2>/dev/null)" 2>/dev/null; }
dk() { docker -H "$DOCKER_HOST_URL" "$@"; }
answers() { dk info >/dev/null 2>&1; }
containerd_ready() { alive "$CONTAINERD_PIDFILE" containerd && [ -S "$CONTAINERD_SOCKET" ]; }

# The wrapper, rebuilt when its source changes (a hash of it in .runc-capdrop.pin).
build_capdrop() {
  local pin
  pin=$(cat "$here"/runc-capdrop/go.mod "$here"/runc-capdrop/*.go | sha256sum | cut -d' ' -f1)
  [ -x "$CAPDROP" ] && [ "$(cat "$BIN/.runc-capdrop.pin" 2>/dev/null)" = "$pin" ] && return 0
  command -v go >/dev/null 2>&1 || die "go not found: Go 1.26+ builds $here/runc-capdrop"
  mkdir -p "$BIN"
  (cd "$here/runc-capdrop" && CGO_ENABLED=0 GOFLAGS=-buildvcs=false go build -trimpath -ldflags "-s -w" -o "$CAPDROP" .)
  echo "$pin" >"$BIN/.runc-capdrop.pin"
  log "built $CAPDROP"
}

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

spawn() {
  local logfile=$1
  shift
  setsid env -i PATH="$DAEMON_PATH" HOME="${HOME:-/root}" "$@" >"$logfile" 2>&1 </dev/null 9>&- &
  echo $!
}

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

has_chain() { iptables -t "$1" -n -L "$2" >/dev/null 2>&1; }

start_dockerd() {
  # No other Docker's chains: the ones dockerd is about to make are ours to remove.
  if ! has_chain filter DOCKER && ! has_chain nat DOCKER; then
    : >"$CHAINS_MARK"
  fi
  echo '{}' >"$RUN_DIR/daemon.json"
  # No default bridge (no docker0): kind makes its own network, "kind".
  spawn "$DATA_ROOT/dockerd.log" dockerd \
    --host "$DOCKER_HOST_URL" \
    --exec-root "$RUN_DIR/exec" \
    --pidfile "$DOCKERD_PIDFILE" \
    --data-root "$DATA_ROOT" \
    --config-file "$RUN_DIR/daemon.json" \
    --containerd "$CONTAINERD_SOCKET" \
    --add-runtime "capdrop=$CAPDROP" --default-runtime capdrop \
    --iptables=true --ip6tables=false --ip-masq=true --bridge=none >/dev/null
  local deadline=$((SECONDS + 10))
  until alive "$DOCKERD_PIDFILE" dockerd; do
    [ "$SECONDS" -lt "$deadline" ] || fail_start "dockerd did not start" "$DATA_ROOT/dockerd.log"
    sleep 0.2
  done
  wait_for "$START_TIMEOUT_S" "$DOCKERD_PIDFILE" answers ||
    fail_start "dockerd did not answer within ${START_TIMEOUT_S}s" "$DATA_ROOT/dockerd.log"
}

fail_start() {
  log "$1; last lines of $2:"
  tail -n 20 "$2" >&2 || true
  if running "$CONTAINERD_PIDFILE" && ! alive "$CONTAINERD_PIDFILE" containerd; then
    kill -KILL "$(cat "$CONTAINERD_PIDFILE")" 2>/dev/null || true
  fi
  stop
  exit 1
}

lock() {
  mkdir -p "$DATA_ROOT"
  command -v flock >/dev/null 2>&1 || return 0
  exec 9>"$DATA_ROOT/.dockerd.lock"
  flock 9
}

start() {
  lock
  if alive "$DOCKERD_PIDFILE" dockerd; then
    wait_for "$START_TIMEOUT_S" "$DOCKERD_PIDFILE" answers ||
      die "dockerd (pid $(cat "$DOCKERD_PIDFILE")) runs but does not answer; see $DATA_ROOT/dockerd.log"
    log "already running (pid $(cat "$DOCKERD_PIDFILE"))"
  else
    build_capdrop
    mkdir -p "$RUN_DIR"
    start_containerd
    start_dockerd
    log "started (pid $(cat "$DOCKERD_PIDFILE")); logs in $DATA_ROOT/{dockerd,containerd}.log"
  fi
  echo "DOCKER_HOST=$DOCKER_HOST_URL"
}

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

# Containers first (kind's nodes, if a caller left any), then the networks:
# docker deletes a network's bridge and its iptables rules with it.
remove_networks() {
  answers || return 0
  local ids
  ids=$(dk ps -aq)
  [ -z "$ids" ] || echo "$ids" | xargs -r docker -H "$DOCKER_HOST_URL" rm -f >/dev/null
  ids=$(dk network ls -q --filter type=custom)
  [ -z "$ids" ] || echo "$ids" | xargs -r docker -H "$DOCKER_HOST_URL" network rm >/dev/null
}

# delete_rules TABLE PATTERN: every rule of TABLE whose -S line matches PATTERN.
delete_rules() {
  local rule
  iptables -t "$1" -S | grep -E -- "$2" | grep '^-A ' | while read -r rule; do
    # shellcheck disable=SC2086 # a rule as iptables -S prints it: split on words
    iptables -t "$1" -D ${rule#-A }
  done
}

# dockerd leaves its chains and the jumps to them behind when it exits.
remove_chains() {
  [ -f "$CHAINS_MARK" ] || return 0
  local chain
  delete_rules filter '-j DOCKER(-USER|-ISOLATION-STAGE-1)?( |$)'
  delete_rules nat '-j DOCKER( |$)'
  for chain in "${FILTER_CHAINS[@]}"; do
    if has_chain filter "$chain"; then iptables -t filter -F "$chain"; fi
  done
  for chain in "${FILTER_CHAINS[@]}"; do
    if has_chain filter "$chain"; then iptables -t filter -X "$chain"; fi
  done
  if has_chain nat DOCKER; then iptables -t nat -F DOCKER && iptables -t nat -X DOCKER; fi
  rm -f "$CHAINS_MARK"
}

stop() {
  remove_networks || log "could not remove all containers/networks"
  stop_one "$DOCKERD_PIDFILE" dockerd
  stop_one "$CONTAINERD_PIDFILE" containerd
  remove_chains
  [ -d "$RUN_DIR" ] || return 0
  mounts_under "$RUN_DIR" nsfs | xargs -r -n1 umount
  if [ -n "$(mounts_under "$RUN_DIR")" ]; then
    die "mounts remain under $RUN_DIR (findmnt -R $RUN_DIR); not removing it"
  fi
  rm -rf --one-file-system "$RUN_DIR"
}

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
