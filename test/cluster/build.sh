#!/usr/bin/env bash
# Builds the pinned binaries the integration tests run: kube-apiserver,
# kube-controller-manager, kube-scheduler, kubectl, kubelet and kube-proxy, plus
# the harness's own fakegpu device plugin and pause binary, in one `go build`
# (test/cluster/kube/go.mod); etcd (test/cluster/etcd/go.mod); containerd,
# helm and kubeconform (pinned below).
# Output: ${XDG_CACHE_HOME:-$HOME/.cache}/hypertune/kube/<k8s version>/.
# Only what is missing or was built from another pin is rebuilt, so a warm run
# takes well under a second and needs no Go. Prints the bin directory last.
set -euo pipefail

HELM_MODULE=helm.sh/helm/v4
HELM_VERSION=v4.3.1
KUBECONFORM_MODULE=github.com/yannh/kubeconform
KUBECONFORM_VERSION=v0.8.0
CONTAINERD_MODULE=github.com/containerd/containerd/v2
CONTAINERD_VERSION=v2.4.2
CONTAINERD_CMDS=(containerd containerd-shim-runc-v2 ctr)
KUBE_CMDS=(kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy)
# Packages of the kube module itself (test/cluster/kube/cmd/*), built with it.
HARNESS_CMDS=(fakegpu pause)

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache_root=${XDG_CACHE_HOME:-${HOME:?HOME or XDG_CACHE_HOME must be set}/.cache}/hypertune

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }
log() { echo "build.sh: $*" >&2; }

pin() { # pin DIR MODULE: the version that wrapper's go.mod requires
  sed -n "s#^[[:space:]]*\(require \)\{0,1\}$2 \(v[^ ]*\).*#\2#p" "$here/$1/go.mod" | head -n1
}

# needs NAME PIN: true when NAME is missing or was built from another pin.
needs() { [ ! -x "$bin/$1" ] || [ "$(cat "$bin/.$1.pin" 2>/dev/null)" != "$2" ]; }
stamp() { echo "$2" > "$bin/.$1.pin"; }

# Harness commands are stamped with the kube pin plus a hash of their source.
harness_pin() { echo "$kube_version $(cat "$here"/kube/cmd/*/*.go | cksum | cut -d' ' -f1)"; }

missing() { # names of the binaries to (re)build, one per line
  local name
  for name in "${KUBE_CMDS[@]}"; do needs "$name" "$kube_version" && echo "$name"; done
  for name in "${HARNESS_CMDS[@]}"; do needs "$name" "$(harness_pin)" && echo "$name"; done
  for name in "${CONTAINERD_CMDS[@]}"; do needs "$name" "$CONTAINERD_VERSION" && echo "$name"; done
  needs etcd "$etcd_version" && echo etcd
  needs helm "$HELM_VERSION" && echo helm
  needs kubeconform "$KUBECONFORM_VERSION" && echo kubeconform
  true
}

# wants NAME: true when NAME is in the todo array (an array, never a string
# matched with spaces around it: `missing` prints one name per line).
wants() { local name; for name in "${todo[@]}"; do [ "$name" = "$1" ] && return 0; done; return 1; }

setup_go() {
  if ! command -v go >/dev/null 2>&1; then
    log "Go 1.26 or newer (https://go.dev/dl/) must be on PATH to build the test cluster's Kubernetes binaries."
    exit 1
  fi
  # Go needs somewhere for its caches even where HOME points nowhere useful (CI).
  if [ -z "$(go env GOCACHE 2>/dev/null)" ]; then export GOCACHE="$cache_root/go-build"; fi
  if [ -z "$(go env GOMODCACHE 2>/dev/null)" ]; then export GOMODCACHE="$cache_root/go-mod"; fi
  export CGO_ENABLED=0
  # The pins are exact: never let a build step edit go.mod or go.sum.
  export GOFLAGS="${GOFLAGS:-} -mod=readonly -buildvcs=false"
}

# Kubernetes' version metadata, set the way hack/lib/version.sh does, so that
# /version and `kubectl version` report the real release. The module zip
# carries no commit hash, hence tree state "archive" and an empty commit.
kube_ldflags() {
  local release_time major minor rest flags="-s -w" pkg
  release_time=$(cd "$here/kube" && go list -m -f '{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}' k8s.io/kubernetes)
  rest=${kube_version#v}; major=${rest%%.*}; rest=${rest#*.}; minor=${rest%%.*}
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=$kube_version -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    flags+=" -X $pkg.gitCommit= -X $pkg.gitTreeState=archive -X $pkg.buildDate=$release_time"
  done
  echo "$flags"
}

build_kube() { # NAMES...: one `go build` for all, so shared packages compile once
  local t name pkgs=()
  t=$(now)
  log "building $* $kube_version (cold: about 15 minutes on 2 cores)"
  for name in "$@"; do
    case $name in
      fakegpu|pause) pkgs+=("./cmd/$name") ;;
      *) pkgs+=("k8s.io/kubernetes/cmd/$name") ;;
    esac
  done
  (cd "$here/kube" && go build -trimpath -ldflags "$(kube_ldflags)" -o "$bin/" "${pkgs[@]}")
  for name in "$@"; do
    case $name in
      fakegpu|pause) stamp "$name" "$(harness_pin)" ;;
      *) stamp "$name" "$kube_version" ;;
    esac
  done
  log "built $* in $(elapsed "$t")"
}

# containerd's go.mod has no replace directives, so `go install pkg@version`
# builds it with its own pins. Tags as kind's base image uses; CGO off (the
# snapshotters left out are the only cgo users).
build_containerd() {
  local t name pkgs=()
  t=$(now)
  log "building containerd $CONTAINERD_VERSION"
  for name in "${CONTAINERD_CMDS[@]}"; do pkgs+=("$CONTAINERD_MODULE/cmd/$name@$CONTAINERD_VERSION"); done
  GOBIN="$bin" GOFLAGS="-buildvcs=false" go install -trimpath -tags "no_aufs no_zfs no_btrfs no_devmapper" \
    -ldflags "-s -w -X $CONTAINERD_MODULE/version.Version=$CONTAINERD_VERSION" "${pkgs[@]}"
  for name in "${CONTAINERD_CMDS[@]}"; do stamp "$name" "$CONTAINERD_VERSION"; done
  log "built containerd in $(elapsed "$t")"
}

build_etcd() {
  local t; t=$(now)
  log "building etcd $etcd_version"
  (cd "$here/etcd" && go build -trimpath -ldflags "-s -w" -o "$bin/etcd" go.etcd.io/etcd/server/v3)
  stamp etcd "$etcd_version"
  log "built etcd in $(elapsed "$t")"
}

# go install MODULE/CMD@VERSION builds with the tool's own go.mod: its pins.
# The version variable is stamped as their release builds do; `go install`
# alone leaves "v4.3" (helm) and "development" (kubeconform).
install_tool() { # NAME VERSION PACKAGE VERSION-VARIABLE
  local t; t=$(now)
  log "building $1 $2"
  GOBIN="$bin" GOFLAGS="-buildvcs=false" go install -trimpath -ldflags "-s -w -X $4=$2" "$3@$2"
  stamp "$1" "$2"
  log "built $1 in $(elapsed "$t")"
}

# The body is one function, read in full before it runs, so editing this file
# while a long build runs cannot derail that build.
main() {
  kube_version=$(pin kube k8s.io/kubernetes)
  etcd_version=$(pin etcd go.etcd.io/etcd/server/v3)
  bin=$cache_root/kube/$kube_version
  mkdir -p "$bin"
  local start kube_todo=() name t
  todo=()
  start=$(now)
  # Two test runs starting at once: the second waits, then finds it all built.
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$bin/.lock"
    flock 9
  fi

  mapfile -t todo < <(missing)
  if [ ${#todo[@]} -gt 0 ]; then
    log "to build: ${todo[*]}"
    setup_go
    t=$(now)
    log "downloading modules (k8s.io/kubernetes $kube_version, etcd $etcd_version)"
    (cd "$here/kube" && go mod download)
    (cd "$here/etcd" && go mod download)
    log "modules ready in $(elapsed "$t")"

    for name in "${todo[@]}"; do
      case $name in kube-*|kubectl|kubelet|fakegpu|pause) kube_todo+=("$name") ;; esac
    done
    if [ ${#kube_todo[@]} -gt 0 ]; then build_kube "${kube_todo[@]}"; fi
    if wants etcd; then build_etcd; fi
    if wants containerd || wants containerd-shim-runc-v2 || wants ctr; then build_containerd; fi
    if wants helm; then
      install_tool helm "$HELM_VERSION" "$HELM_MODULE/cmd/helm" "$HELM_MODULE/internal/version.version"
    fi
    if wants kubeconform; then
      install_tool kubeconform "$KUBECONFORM_VERSION" "$KUBECONFORM_MODULE/cmd/kubeconform" main.version
    fi
  fi

  log "binaries ready in $(elapsed "$start")"
  echo "$bin"
}

main "$@"; exit
