#!/usr/bin/env bash
# Builds the pinned binaries the integration tests run: kube-apiserver,
# kube-controller-manager, kube-scheduler, kubectl, kubelet and kube-proxy, plus
# the harness's own fakegpu device plugin and pause binary and KWOK's
# controller (simulated nodes for the scale tests), in one `go build`
# (test/cluster/kube/go.mod); etcd (test/cluster/etcd/go.mod); containerd,
# helm and kubeconform (pinned below); the GitOps controllers (Flux's
# source-controller and kustomize-controller, and argocd-health, Argo CD's own
# health assessment) in one more `go build` (test/cluster/gitops/go.mod), with
# Flux's CRDs copied from its modules into <bin>/flux-crds/.
# Output: ${XDG_CACHE_HOME:-$HOME/.cache}/hypertune/kube/<k8s version>/.
# Only what is missing or was built from another pin is rebuilt, so a warm run
# takes well under a second and needs no Go. Prints the bin directory last.
#
# build.sh --also v1.29 (repeatable) also builds an older Kubernetes, only its
# six commands, from test/cluster/kube-v1.29/go.mod (made by
# `test/cluster/kube/pin.sh v1.29.6 test/cluster/kube-v1.29`) into
# .../hypertune/kube/<its version>/ (kube/v1.29.6/), in one more `go build`,
# pinned and stamped like the main set; etcd, containerd, helm and kubeconform
# come from the main bin directory.
# Its bin directory is printed after the main one, one line per --also.
# v1.29.6 builds with Go 1.26 and no extra flags (its //go:linkname users,
# reflect2, starlark and x/sys, pull only symbols the runtime still exports;
# no -checklinkname=0 needed): about 11 minutes cold on 2 busy cores. Four of
# its staging modules are pinned one patch back: see kube-v1.29/go.mod.
set -euo pipefail

HELM_MODULE=helm.sh/helm/v4
HELM_VERSION=v4.3.1
KUBECONFORM_MODULE=github.com/yannh/kubeconform
KUBECONFORM_VERSION=v0.8.0
CONTAINERD_MODULE=github.com/containerd/containerd/v2
CONTAINERD_VERSION=v2.4.2
CONTAINERD_CMDS=(containerd containerd-shim-runc-v2 ctr)
KUBE_CMDS=(kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy)
# Only of the pinned release: kind's node image runs it (test/e2e/kind-images.sh).
KUBE_MAIN_ONLY_CMDS=(kubeadm)
# Packages of the kube module itself (test/cluster/kube/cmd/*), built with it.
HARNESS_CMDS=(fakegpu pause)
# KWOK's controller (simulated nodes and pods for the scale tests): a `tool` of
# the kube module, so it compiles against the same client-go in the same `go build`.
KWOK_MODULE=sigs.k8s.io/kwok
# KWOK's own stages the scale tests use as they are (nodes: initialize, then
# heartbeat by lease; pods: ready at once, gone when deleted), copied from its
# module into <bin>/kwok-stages/. Pod completion is the harness's own stage
# (test/cluster/kwok/), as it writes the trial's metrics.
KWOK_STAGES=(node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease pod/fast/pod-ready pod/fast/pod-delete)
# Built from test/cluster/gitops/go.mod (packages of its requirements, and its own cmd/).
GITOPS_CMDS=(source-controller kustomize-controller argocd-health)
# Flux's modules whose config/crd/bases go to <bin>/flux-crds/.
FLUX_MODULES=(github.com/fluxcd/source-controller github.com/fluxcd/kustomize-controller)

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache_root=${XDG_CACHE_HOME:-${HOME:?HOME or XDG_CACHE_HOME must be set}/.cache}/hypertune

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }
log() { echo "build.sh: $*" >&2; }

pin() { # pin DIR MODULE: the version that wrapper's go.mod requires
  sed -n "s#^[[:space:]]*\(require \)\{0,1\}$2 \(v[^ ]*\).*#\2#p" "$here/$1/go.mod" | head -n1
}

# needs NAME PIN [DIR]: true when NAME is missing or was built from another pin
# (DIR: the bin directory, $bin unless given).
needs() { [ ! -x "${3:-$bin}/$1" ] || [ "$(cat "${3:-$bin}/.$1.pin" 2>/dev/null)" != "$2" ]; }
stamp() { echo "$2" > "${3:-$bin}/.$1.pin"; }

# Harness commands are stamped with the kube pin plus a hash of their source.
harness_pin() { echo "$kube_version $(cat "$here"/kube/cmd/*/*.go | cksum | cut -d' ' -f1)"; }
# The GitOps set (and flux-crds) is stamped with a hash of its go.mod, go.sum and own source.
gitops_pin() { cat "$here"/gitops/go.mod "$here"/gitops/go.sum "$here"/gitops/cmd/*/*.go | cksum | cut -d' ' -f1; }

missing() { # names of the binaries to (re)build, one per line
  local name
  for name in "${KUBE_CMDS[@]}" "${KUBE_MAIN_ONLY_CMDS[@]}"; do needs "$name" "$kube_version" && echo "$name"; done
  for name in "${HARNESS_CMDS[@]}"; do needs "$name" "$(harness_pin)" && echo "$name"; done
  needs kwok "$(pin kube "$KWOK_MODULE")" && echo kwok
  needs kwok-stages "$(pin kube "$KWOK_MODULE")" && echo kwok-stages
  for name in "${CONTAINERD_CMDS[@]}"; do needs "$name" "$CONTAINERD_VERSION" && echo "$name"; done
  for name in "${GITOPS_CMDS[@]}" flux-crds; do needs "$name" "$(gitops_pin)" && echo "$name"; done
  needs etcd "$etcd_version" && echo etcd
  needs helm "$HELM_VERSION" && echo helm
  needs kubeconform "$KUBECONFORM_VERSION" && echo kubeconform
  true
}

missing_kube() { # BIN VERSION: the Kubernetes commands to (re)build in BIN
  local name
  for name in "${KUBE_CMDS[@]}"; do needs "$name" "$2" "$1" && echo "$name"; done
  true
}

# wants NAME: true when NAME is in the todo array (an array, never a string
# matched with spaces around it: `missing` prints one name per line).
wants() { local name; for name in "${todo[@]}"; do [ "$name" = "$1" ] && return 0; done; return 1; }

setup_go() {
  if [ -n "${go_ready:-}" ]; then return; fi
  go_ready=1
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
kube_ldflags() { # MODULE-DIR VERSION
  local release_time major minor rest flags="-s -w" pkg
  release_time=$(cd "$here/$1" && go list -m -f '{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}' k8s.io/kubernetes)
  rest=${2#v}; major=${rest%%.*}; rest=${rest#*.}; minor=${rest%%.*}
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=$2 -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    flags+=" -X $pkg.gitCommit= -X $pkg.gitTreeState=archive -X $pkg.buildDate=$release_time"
  done
  echo "$flags"
}

# build_kube MODULE-DIR VERSION BIN NAMES...: one `go build` for all, so shared
# packages compile once. MODULE-DIR is kube (the main set, with the harness's
# commands) or kube-vX.Y (an --also set: Kubernetes commands only).
build_kube() {
  local t name dir=$1 version=$2 out=$3 pkgs=()
  shift 3
  t=$(now)
  log "building $* $version (cold: about 15 minutes on 2 cores)"
  for name in "$@"; do
    case $name in
      fakegpu|pause) pkgs+=("./cmd/$name") ;;
      kwok) pkgs+=("$KWOK_MODULE/cmd/kwok") ;;
      *) pkgs+=("k8s.io/kubernetes/cmd/$name") ;;
    esac
  done
  (cd "$here/$dir" && go build -trimpath -ldflags "$(kube_ldflags "$dir" "$version")" -o "$out/" "${pkgs[@]}")
  for name in "$@"; do
    case $name in
      fakegpu|pause) stamp "$name" "$(harness_pin)" "$out" ;;
      kwok) stamp "$name" "$(pin kube "$KWOK_MODULE")" "$out" ;;
      *) stamp "$name" "$version" "$out" ;;
    esac
  done
  log "built $* $version in $(elapsed "$t")"
}

copy_kwok_stages() {
  local dir stage
  dir=$(cd "$here/kube" && go list -m -f '{{.Dir}}' "$KWOK_MODULE")
  rm -rf "$bin/kwok-stages" && mkdir -p "$bin/kwok-stages"
  for stage in "${KWOK_STAGES[@]}"; do cp "$dir/kustomize/stage/$stage.yaml" "$bin/kwok-stages/"; done
  chmod u+w "$bin"/kwok-stages/*.yaml
  stamp kwok-stages "$(pin kube "$KWOK_MODULE")"
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

# The GitOps set: one `go build` of the gitops module's commands, then Flux's
# CRDs from the module cache (so a warm run needs no Go to find them).
build_gitops() {
  local t module pkgs=() name
  t=$(now)
  log "building ${GITOPS_CMDS[*]} (cold: about 9 minutes on 2 cores)"
  for name in "${GITOPS_CMDS[@]}"; do
    case $name in
      argocd-health) pkgs+=("./cmd/$name") ;;
      *) pkgs+=("github.com/fluxcd/$name") ;;
    esac
  done
  (cd "$here/gitops" && go build -trimpath -ldflags "-s -w" -o "$bin/" "${pkgs[@]}")
  for name in "${GITOPS_CMDS[@]}"; do stamp "$name" "$(gitops_pin)"; done
  rm -rf "$bin/flux-crds" && mkdir -p "$bin/flux-crds"
  for module in "${FLUX_MODULES[@]}"; do
    cp "$(cd "$here/gitops" && go list -m -f '{{.Dir}}' "$module")"/config/crd/bases/*.yaml "$bin/flux-crds/"
  done
  stamp flux-crds "$(gitops_pin)"
  log "built the GitOps set in $(elapsed "$t")"
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
  # --also vX.Y: the extra sets asked for (test/cluster/kube-vX.Y), in order.
  local extras=() extra_versions=() extra_bins=() extra_todo=() i x
  while [ $# -gt 0 ]; do
    case $1 in
      --also) [ $# -ge 2 ] || { log "--also needs a version, e.g. --also v1.29"; exit 2; }
        extras+=("$2"); shift 2 ;;
      --also=*) extras+=("${1#--also=}"); shift ;;
      *) log "unknown argument $1 (usage: build.sh [--also vMAJOR.MINOR]...)"; exit 2 ;;
    esac
  done
  kube_version=$(pin kube k8s.io/kubernetes)
  etcd_version=$(pin etcd go.etcd.io/etcd/server/v3)
  bin=$cache_root/kube/$kube_version
  mkdir -p "$bin"
  for x in "${extras[@]}"; do
    if [ ! -f "$here/kube-$x/go.mod" ]; then
      log "--also $x: no test/cluster/kube-$x/go.mod (make it with test/cluster/kube/pin.sh $x.PATCH test/cluster/kube-$x)"
      exit 2
    fi
    extra_versions+=("$(pin "kube-$x" k8s.io/kubernetes)")
    case ${extra_versions[-1]} in
      "$x".*) ;;
      *) log "--also $x: test/cluster/kube-$x/go.mod pins k8s.io/kubernetes ${extra_versions[-1]:-nothing}"; exit 2 ;;
    esac
    extra_bins+=("$cache_root/kube/${extra_versions[-1]}")
    mkdir -p "${extra_bins[-1]}"
  done
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
    (cd "$here/gitops" && go mod download)
    log "modules ready in $(elapsed "$t")"

    for name in "${todo[@]}"; do
      case $name in kube-*|kubectl|kubelet|kubeadm|fakegpu|pause|kwok) kube_todo+=("$name") ;; esac
    done
    if [ ${#kube_todo[@]} -gt 0 ]; then build_kube kube "$kube_version" "$bin" "${kube_todo[@]}"; fi
    if wants kwok-stages; then copy_kwok_stages; fi
    if wants etcd; then build_etcd; fi
    if wants source-controller || wants kustomize-controller || wants argocd-health || wants flux-crds; then
      build_gitops
    fi
    if wants containerd || wants containerd-shim-runc-v2 || wants ctr; then build_containerd; fi
    if wants helm; then
      install_tool helm "$HELM_VERSION" "$HELM_MODULE/cmd/helm" "$HELM_MODULE/internal/version.version"
    fi
    if wants kubeconform; then
      install_tool kubeconform "$KUBECONFORM_VERSION" "$KUBECONFORM_MODULE/cmd/kubeconform" main.version
    fi
  fi

  for i in "${!extras[@]}"; do
    mapfile -t extra_todo < <(missing_kube "${extra_bins[i]}" "${extra_versions[i]}")
    if [ ${#extra_todo[@]} -gt 0 ]; then
      log "to build for --also ${extras[i]}: ${extra_todo[*]} (${extra_versions[i]})"
      setup_go
      t=$(now)
      log "downloading modules (k8s.io/kubernetes ${extra_versions[i]})"
      (cd "$here/kube-${extras[i]}" && go mod download)
      log "modules ready in $(elapsed "$t")"
      build_kube "kube-${extras[i]}" "${extra_versions[i]}" "${extra_bins[i]}" "${extra_todo[@]}"
    fi
  done

  log "binaries ready in $(elapsed "$start")"
  echo "$bin"
  for x in "${extra_bins[@]}"; do echo "$x"; done
}

main "$@"; exit
