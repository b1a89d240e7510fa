#!/usr/bin/env bash
# End to end on a real kind cluster: build the hypertune image and a trainer
# image for the quickstart, load both into kind, `helm install` the chart,
# apply examples/quickstart/tuningjob.yaml, wait for Complete, print the best
# parameters, delete the cluster.
#
#   npm run e2e:kind            # or: test/e2e/kind.sh
#   KEEP_CLUSTER=1 npm run e2e:kind
#
# Needs docker, kind, kubectl and helm on PATH. It CANNOT run in this
# project's CI (no Docker engine there): CI runs shellcheck on it, and the
# same steps (helm install, the chart's RBAC and Pod Security, the quickstart
# to Complete) are proven on a real control plane by
# test/integration/chart-*.test.ts and operator-quickstart.test.ts.
set -euo pipefail

cd "$(dirname "$0")/../.."

CLUSTER="${CLUSTER:-hypertune-e2e}"
RELEASE_NAMESPACE="${RELEASE_NAMESPACE:-hypertune-system}"
TEAM_NAMESPACE="${TEAM_NAMESPACE:-tuning}"
IMAGE="hypertune:e2e"
TRAINER_IMAGE="hypertune-quickstart:e2e"
TIMEOUT="${TIMEOUT:-20m}"

log() { printf '\n=== %s (%s)\n' "$*" "$(date +%T)"; }

for tool in docker kind kubectl helm; do
  command -v "$tool" >/dev/null || { echo "kind.sh needs $tool on PATH" >&2; exit 2; }
done

cleanup() {
  status=$?
  if [ "$status" -ne 0 ]; then
    kubectl -n "$RELEASE_NAMESPACE" logs deployment/hypertune --tail=100 || true
    kubectl -n "$TEAM_NAMESPACE" get tuningjobs,trials,jobs,pods || true
  fi
  if [ -z "${KEEP_CLUSTER:-}" ]; then
    log "delete kind cluster $CLUSTER"
    kind delete cluster --name "$CLUSTER" || true
  fi
  exit "$status"
}
trap cleanup EXIT

log "create kind cluster $CLUSTER"
kind create cluster --name "$CLUSTER" --wait 120s

log "build and load images"
docker build -t "$IMAGE" .
# The quickstart's trainer: train.mjs and its data in the image's working directory.
docker build -t "$TRAINER_IMAGE" -f - examples/quickstart <<'DOCKERFILE'
FROM node:20.20.2-bookworm-slim
WORKDIR /work
COPY train.mjs ./
COPY data ./data
USER 1000:1000
DOCKERFILE
kind load docker-image "$IMAGE" "$TRAINER_IMAGE" --name "$CLUSTER"

log "helm install (namespaced mode, restricted Pod Security)"
for ns in "$RELEASE_NAMESPACE" "$TEAM_NAMESPACE"; do
  kubectl create namespace "$ns"
  kubectl label namespace "$ns" pod-security.kubernetes.io/enforce=restricted
done
helm install hypertune charts/hypertune \
  --namespace "$RELEASE_NAMESPACE" \
  --set image.repository=hypertune --set image.tag=e2e --set image.pullPolicy=Never \
  --set "watchNamespaces={$TEAM_NAMESPACE}" \
  --wait --timeout 5m

log "apply the quickstart TuningJob"
sed "s#image: node:20-slim#image: $TRAINER_IMAGE\n              imagePullPolicy: Never#" \
  examples/quickstart/tuningjob.yaml | kubectl -n "$TEAM_NAMESPACE" apply -f -

log "wait for Complete (up to $TIMEOUT)"
kubectl -n "$TEAM_NAMESPACE" wait tuningjob/quickstart-digits \
  --for=jsonpath='{.status.phase}'=Complete --timeout="$TIMEOUT"
kubectl -n "$TEAM_NAMESPACE" get tuningjobs
kubectl -n "$TEAM_NAMESPACE" get trials -l hypertune.dev/job=quickstart-digits

log "best parameters"
kubectl -n "$TEAM_NAMESPACE" get tuningjob quickstart-digits \
  -o jsonpath='{.status.bestTrial.parameters}{"\n"}{.status.bestTrial.metrics}{"\n"}'
