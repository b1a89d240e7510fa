#!/usr/bin/env bash
# End to end on a real kind cluster: the operator's image and the quickstart's
# trainer image loaded into kind, `helm install` of the chart (namespaced
# mode, restricted Pod Security), examples/quickstart/tuningjob.yaml (fewer,
# smaller trials) to Complete, its best trial checked; the cluster deleted.
#
#   npm run e2e:kind            # or: test/e2e/kind.sh  (as root)
#   KEEP_CLUSTER=1 npm run e2e:kind
#
# Offline (the default): no registry and not the machine's Docker.
#   - test/e2e/kind-dockerd.sh: a dockerd of the test's own (its default
#     runtime drops the capabilities root lacks, so kind's --privileged nodes
#     start on VMs whose root has a reduced bounding set)
#   - test/e2e/kind-images.sh: kind, and a node image built offline from the
#     test cluster's Kubernetes binaries (test/cluster/build.sh)
#   - test/images/build.sh: hypertune:dev and hypertune-quickstart:dev
#   - kind-cluster.yaml: the cluster config that image needs
# All of it cached under ${XDG_CACHE_HOME:-$HOME/.cache}/hypertune.
#
# On a machine with Docker and a registry: KIND_NODE_IMAGE=kindest/node:v1.37.2
# (any node image) uses the Docker that DOCKER_HOST names, kind from PATH (or
# the cache), builds the two images with `docker build`, and KIND_CONFIG, if
# given, is passed to `kind create cluster`. KIND_CONFIG alone keeps the
# offline image and dockerd with another config.
#
# At exit, pass or fail: the cluster is deleted (unless KEEP_CLUSTER), the
# test dockerd stopped (its networks, bridges and iptables chains go with
# it), and a dockerd started for the image builds stopped. The last line says
# `kind e2e: N passed, M failed`; the exit status is non-zero on failure.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"
cache_root=${XDG_CACHE_HOME:-${HOME:?HOME or XDG_CACHE_HOME must be set}/.cache}/hypertune

CLUSTER="${CLUSTER:-hypertune-e2e}"
RELEASE_NAMESPACE="${RELEASE_NAMESPACE:-hypertune-system}"
TEAM_NAMESPACE="${TEAM_NAMESPACE:-tuning}"
IMAGE=hypertune:dev
TRAINER_IMAGE=hypertune-quickstart:dev
TIMEOUT="${TIMEOUT:-10m}"
# The quickstart, cut down: MAX_TRIALS trials of TRIAL_CPU each.
MAX_TRIALS="${MAX_TRIALS:-4}"
TRIAL_CPU="${TRIAL_CPU:-200m}"
# The best trial's val_accuracy must reach this.
MIN_ACCURACY="${MIN_ACCURACY:-0.5}"
HARNESS_DOCKER=unix:///run/hypertune-docker/docker.sock
KIND_DOCKER=unix:///run/hypertune-kind-docker/docker.sock

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }'; }
log() { printf '\n=== %s (%s)\n' "$*" "$(date +%T)"; }
die() { echo "kind.sh: $*" >&2; exit 2; }

offline=1
[ -z "${KIND_NODE_IMAGE:-}" ] || offline=
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hypertune-kind-e2e.XXXXXX")
export KUBECONFIG=$tmp/kubeconfig
passed=0
failed=0
started_kind_dockerd=
started_harness_dockerd=
cluster_created=
t_start=$(now)

# --- at exit ---------------------------------------------------------------

diagnose() {
  kubectl -n "$RELEASE_NAMESPACE" logs deployment/hypertune --tail=100 || true
  kubectl -n "$TEAM_NAMESPACE" get tuningjobs,trials,jobs,pods -o wide || true
  kubectl get pods -A -o wide || true
  kubectl -n "$TEAM_NAMESPACE" get events --sort-by=.lastTimestamp | tail -n 30 || true
}

stop_harness_dockerd() {
  [ -z "$started_harness_dockerd" ] || bash "$repo/test/images/dockerd.sh" stop || true
  started_harness_dockerd=
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  [ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || [ "$passed" -gt 0 ] || failed=1
  if [ "$status" -ne 0 ] && [ -n "$cluster_created" ]; then diagnose; fi
  stop_harness_dockerd
  if [ -z "${KEEP_CLUSTER:-}" ]; then
    if [ -n "$cluster_created" ]; then
      log "delete kind cluster $CLUSTER"
      kind delete cluster --name "$CLUSTER" || true
    fi
    [ -z "$started_kind_dockerd" ] || bash "$here/kind-dockerd.sh" stop || true
    rm -rf "$tmp"
  else
    echo "KEEP_CLUSTER: kept $CLUSTER; KUBECONFIG=$KUBECONFIG${offline:+ DOCKER_HOST=$KIND_DOCKER}"
    echo "  remove: kind delete cluster --name $CLUSTER${offline:+ && $here/kind-dockerd.sh stop}"
  fi
  echo "kind e2e: $passed passed, $failed failed ($(since "$t_start")s)"
  [ "$failed" -eq 0 ] || [ "$status" -ne 0 ] || status=1
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools and images ------------------------------------------------------

# Offline: the test dockerd, kind and the node image from kind-images.sh, the
# project's images from test/images/build.sh's dockerd, carried across with
# docker save | docker load.
prepare_offline() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (it starts dockerd); try: sudo $0"
  # kubectl and helm from test/cluster/build.sh's bin dir (kind-images.sh
  # says which of its binaries are missing).
  local kube_version
  kube_version=$(sed -n 's#^[[:space:]]*\(require \)\{0,1\}k8s.io/kubernetes \(v[^ ]*\).*#\2#p' \
    "$here/../cluster/kube/go.mod" | head -n1)
  export PATH="$cache_root/kind/bin:$cache_root/kube/$kube_version:$PATH"
  command -v helm >/dev/null || die "helm not found in $cache_root/kube/$kube_version: run test/cluster/build.sh"

  log "start the test dockerd"
  started_kind_dockerd=1
  bash "$here/kind-dockerd.sh" start >/dev/null
  export DOCKER_HOST=$KIND_DOCKER

  log "kind and the node image (offline)"
  NODE_IMAGE=$(bash "$here/kind-images.sh" | tail -n1)
  CONFIG=${KIND_CONFIG:-$here/kind-cluster.yaml}

  log "build $IMAGE and $TRAINER_IMAGE (test/images/build.sh)"
  if ! bash "$repo/test/images/dockerd.sh" status >/dev/null 2>&1; then
    started_harness_dockerd=1
    bash "$repo/test/images/dockerd.sh" start >/dev/null
  fi
  bash "$repo/test/images/build.sh" --only hypertune quickstart
  docker -H "$HARNESS_DOCKER" save "$IMAGE" "$TRAINER_IMAGE" | docker load -q
  stop_harness_dockerd
}

# A machine with Docker and a registry: its Docker, a node image it can pull.
prepare_online() {
  local tool
  for tool in docker kind kubectl helm; do
    command -v "$tool" >/dev/null || die "kind.sh needs $tool on PATH"
  done
  NODE_IMAGE=$KIND_NODE_IMAGE
  CONFIG=${KIND_CONFIG:-}
  log "build $IMAGE and $TRAINER_IMAGE"
  docker build -t "$IMAGE" .
  docker build -t "$TRAINER_IMAGE" examples/quickstart
}

# --- the test ----------------------------------------------------------------

# The quickstart TuningJob with the trainer image (never pulled), fewer
# trials and smaller requests.
tuningjob() {
  sed -e "s#^\( *\)image: node:20-slim#\1image: $TRAINER_IMAGE\n\1imagePullPolicy: Never#" \
    -e "s#maxTrials: [0-9]*#maxTrials: $MAX_TRIALS#" \
    -e "s#requests: {cpu: \"1\", memory: 256Mi}#requests: {cpu: $TRIAL_CPU, memory: 256Mi}#" \
    examples/quickstart/tuningjob.yaml
}

quickstart() {
  log "helm install (namespaced mode, restricted Pod Security)"
  local ns
  for ns in "$RELEASE_NAMESPACE" "$TEAM_NAMESPACE"; do
    kubectl create namespace "$ns"
    kubectl label namespace "$ns" pod-security.kubernetes.io/enforce=restricted
  done
  helm install hypertune charts/hypertune \
    --namespace "$RELEASE_NAMESPACE" \
    --set image.repository="${IMAGE%:*}" --set image.tag="${IMAGE#*:}" --set image.pullPolicy=Never \
    --set "watchNamespaces={$TEAM_NAMESPACE}" \
    --wait --timeout 5m

  log "apply the quickstart TuningJob ($MAX_TRIALS trials, cpu $TRIAL_CPU)"
  # Just after the CRDs appear, the chart's MutatingAdmissionPolicy may not know
  # the kind yet: the API server answers 503 for a few seconds, as kubectl users see too.
  local tries=0
  until tuningjob | kubectl -n "$TEAM_NAMESPACE" apply -f -; do
    tries=$((tries + 1))
    [ "$tries" -lt 30 ] || return 1
    sleep 2
  done

  log "wait for Complete (up to $TIMEOUT)"
  kubectl -n "$TEAM_NAMESPACE" wait tuningjob/quickstart-digits \
    --for=jsonpath='{.status.phase}'=Complete --timeout="$TIMEOUT"
  kubectl -n "$TEAM_NAMESPACE" get tuningjobs
  kubectl -n "$TEAM_NAMESPACE" get trials -l hypertune.dev/job=quickstart-digits

  log "check the result"
  local succeeded best
  succeeded=$(kubectl -n "$TEAM_NAMESPACE" get tuningjob quickstart-digits -o jsonpath='{.status.trials.succeeded}')
  best=$(kubectl -n "$TEAM_NAMESPACE" get tuningjob quickstart-digits -o jsonpath='{.status.bestTrial.metrics.val_accuracy}')
  kubectl -n "$TEAM_NAMESPACE" get tuningjob quickstart-digits \
    -o jsonpath='best: {.status.bestTrial.parameters}{"\n"}      {.status.bestTrial.metrics}{"\n"}'
  echo "succeeded trials: ${succeeded:-none} of $MAX_TRIALS; best val_accuracy: ${best:-none} (at least $MIN_ACCURACY)"
  [ "${succeeded:-0}" -eq "$MAX_TRIALS" ] || { echo "FAIL: not every trial succeeded" >&2; return 1; }
  awk -v a="${best:-0}" -v m="$MIN_ACCURACY" 'BEGIN { exit !(a + 0 >= m + 0) }' ||
    { echo "FAIL: best val_accuracy ${best:-none} < $MIN_ACCURACY" >&2; return 1; }
}

main() {
  if [ -n "$offline" ]; then prepare_offline; else prepare_online; fi

  log "create kind cluster $CLUSTER ($NODE_IMAGE)"
  local t
  t=$(now)
  cluster_created=1
  kind create cluster --name "$CLUSTER" --image "$NODE_IMAGE" ${CONFIG:+--config "$CONFIG"} \
    --kubeconfig "$KUBECONFIG" --wait 180s
  echo "cluster up in $(since "$t")s"

  log "load $IMAGE and $TRAINER_IMAGE into kind"
  kind load docker-image "$IMAGE" "$TRAINER_IMAGE" --name "$CLUSTER"
  # Offline, the test dockerd held them only to hand them on: next run's
  # docker load brings them again, and old layers do not pile up in the cache.
  [ -z "$offline" ] || docker rmi "$IMAGE" "$TRAINER_IMAGE" >/dev/null

  # A failure anywhere exits through cleanup, which counts it.
  t=$(now)
  quickstart
  passed=$((passed + 1))
  echo "quickstart in $(since "$t")s"
}

main "$@"
