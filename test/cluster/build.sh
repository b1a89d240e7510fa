#!/usr/bin/env bash
# Builds the pinned binaries the integration tests run: kube-apiserver,
# kube-controller-manager, kube-scheduler and kubectl (test/cluster/kube/go.mod),
# etcd (test/cluster/etcd/go.mod), helm and kubeconform (pinned below).
# Output: ${XDG_CACHE_HOME:-$HOME/.cache}/hypertune/kube/<k8s version>/.
# Only what is missing or was built from another pin is rebuilt, so a warm run
# takes about a second. Prints the bin directory as its last line.
set -euo pipefail
# The body is one function, read in full before it runs, so editing this file
# while a long build runs cannot derail that build.
main() {

HELM_MODULE=helm.sh/helm/v4
HELM_VERSION=v4.3.1
KUBECONFORM_MODULE=github.com/yannh/kubeconform
KUBECONFORM_VERSION=v0.8.0

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if ! command -v go >/dev/null 2>&1; then
  echo "build.sh: Go 1.26 or newer (https://go.dev/dl/) must be on PATH to build the test cluster's Kubernetes binaries." >&2
  exit 1
fi

cache_root=${XDG_CACHE_HOME:-${HOME:?HOME or XDG_CACHE_HOME must be set}/.cache}/hypertune
# Go needs somewhere for its caches even where HOME points nowhere useful (CI).
if [ -z "$(go env GOCACHE 2>/dev/null)" ]; then export GOCACHE="$cache_root/go-build"; fi
if [ -z "$(go env GOMODCACHE 2>/dev/null)" ]; then export GOMODCACHE="$cache_root/go-mod"; fi
export CGO_ENABLED=0
# The pins are exact: never let a build step edit go.mod or go.sum.
export GOFLAGS="${GOFLAGS:-} -mod=readonly -buildvcs=false"

pin() { # pin DIR MODULE -> version required by that wrapper's go.mod
  sed -n "s#^[[:space:]]*\(require \)\{0,1\}$2 \(v[^ ]*\).*#\2#p" "$here/$1/go.mod" | head -n1
}
kube_version=$(pin kube k8s.io/kubernetes)
etcd_version=$(pin etcd go.etcd.io/etcd/server/v3)
bin=$cache_root/kube/$kube_version
mkdir -p "$bin"
# Two test runs starting at once: the second waits and then finds it all built.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$bin/.lock"
  flock 9
fi

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }
log() { echo "build.sh: $*" >&2; }

# needs NAME PIN: true when NAME is missing or was built from another pin.
needs() { [ ! -x "$bin/$1" ] || [ "$(cat "$bin/.$1.pin" 2>/dev/null)" != "$2" ]; }
stamp() { echo "$2" > "$bin/.$1.pin"; }

# Kubernetes' version metadata, set the way hack/lib/version.sh does, so that
# /version and `kubectl version` report the real release. The module zip
# carries no commit hash, hence tree state "archive" and an empty commit.
kube_ldflags() {
  local release_time major minor rest flags="-s -w"
  release_time=$(cd "$here/kube" && go list -m -f '{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}' k8s.io/kubernetes)
  rest=${kube_version#v}; major=${rest%%.*}; rest=${rest#*.}; minor=${rest%%.*}
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=$kube_version -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    flags+=" -X $pkg.gitCommit= -X $pkg.gitTreeState=archive -X $pkg.buildDate=$release_time"
  done
  echo "$flags"
}

start=$(now)

t=$(now)
log "downloading modules (k8s.io/kubernetes $kube_version, etcd $etcd_version)"
(cd "$here/kube" && go mod download)
(cd "$here/etcd" && go mod download)
log "modules ready in $(elapsed "$t")"

kube_cmds=()
for name in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
  if needs "$name" "$kube_version"; then kube_cmds+=("$name"); fi
done
if [ ${#kube_cmds[@]} -gt 0 ]; then
  t=$(now)
  log "building ${kube_cmds[*]} $kube_version (cold: tens of minutes on 2 cores)"
  pkgs=()
  for name in "${kube_cmds[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$name"); done
  # One `go build` for all of them so shared packages compile once.
  (cd "$here/kube" && go build -trimpath -ldflags "$(kube_ldflags)" -o "$bin/" "${pkgs[@]}")
  for name in "${kube_cmds[@]}"; do stamp "$name" "$kube_version"; done
  log "built ${kube_cmds[*]} in $(elapsed "$t")"
fi

if needs etcd "$etcd_version"; then
  t=$(now)
  log "building etcd $etcd_version"
  (cd "$here/etcd" && go build -trimpath -ldflags "-s -w" -o "$bin/etcd" go.etcd.io/etcd/server/v3)
  stamp etcd "$etcd_version"
  log "built etcd in $(elapsed "$t")"
fi

# go install MODULE/CMD@VERSION builds with the tool's own go.mod: its pins.
install_tool() { # NAME MODULE VERSION PACKAGE VERSION-VARIABLE
  if needs "$1" "$3"; then
    local t; t=$(now)
    log "building $1 $3"
    # Stamp the version as their release builds do; `go install` alone leaves
    # "v4.3" (helm) and "development" (kubeconform).
    GOBIN="$bin" GOFLAGS="-buildvcs=false" go install -trimpath -ldflags "-s -w -X $5=$3" "$4@$3"
    stamp "$1" "$3"
    log "built $1 in $(elapsed "$t")"
  fi
}
install_tool helm "$HELM_MODULE" "$HELM_VERSION" "$HELM_MODULE/cmd/helm" "$HELM_MODULE/internal/version.version"
install_tool kubeconform "$KUBECONFORM_MODULE" "$KUBECONFORM_VERSION" "$KUBECONFORM_MODULE/cmd/kubeconform" main.version

log "binaries ready in $(elapsed "$start")"
echo "$bin"
}

main "$@"
