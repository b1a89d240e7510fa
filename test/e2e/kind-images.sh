#!/usr/bin/env bash
# Makes what an offline `kind create cluster` needs, into the cache
# (${XDG_CACHE_HOME:-$HOME/.cache}/hypertune/kind) and the kind test dockerd
# (kind-dockerd.sh, which must be running; DOCKER_HOST is set here):
#
#   bin/kind      go install sigs.k8s.io/kind@KIND_VERSION
#   bin/crictl    go install sigs.k8s.io/cri-tools/cmd/crictl (kind uses it in the node)
#   hypertune-test/kind-base:bookworm   kind's images/base without a registry:
#       debootstrap bookworm (systemd 252 still boots on a cgroup v1 host; trixie's
#       does not), kind's images/base/files from its Go module, Debian's runc and
#       CNI plugins, containerd v2.4.2 from test/cluster/build.sh's bin dir
#   hypertune-test/kind-node:v1.37.2    the base + kubeadm (kind runs it in the node), kubelet, kubectl and
#       the control plane's images (made here from the same bin dir) preloaded
#       into the node's containerd, as `kind build node-image` would, minus pulls
#
#   test/e2e/kind-images.sh     # prints the node image's tag last
#
# Each is skipped when current: a binary by a pin file beside it, an image by
# a label holding a hash of its recipe (this script's functions and inputs).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache_root=${XDG_CACHE_HOME:-${HOME:?HOME or XDG_CACHE_HOME must be set}/.cache}/hypertune
work=$cache_root/kind
BIN=$work/bin

KIND_VERSION=v0.33.0
CRICTL_VERSION=v1.36.0
SUITE=bookworm
DEFAULT_MIRROR=http://deb.debian.org/debian
RECIPE_LABEL=dev.hypertune.recipe
BASE_IMAGE=hypertune-test/kind-base:$SUITE
# Packages of kind's images/base/Dockerfile that Debian has, plus runc and the
# CNI plugins it builds from git (bookworm: runc 1.1.5, plugins 1.1.1). Left
# out: fuse-overlayfs, nfs-common, open-iscsi (rootless and storage tests only).
BASE_PACKAGES=systemd,conntrack,iptables,nftables,iproute2,ethtool,util-linux,mount,kmod,libseccomp2,pigz,e2fsprogs,bash,ca-certificates,curl,jq,procps,runc,containernetworking-plugins

export DOCKER_HOST=unix:///run/hypertune-kind-docker/docker.sock

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
log() { echo "kind-images.sh: $*" >&2; }
die() { log "$*"; exit 1; }
sha() { sha256sum | cut -d' ' -f1; }
recipe_of() { docker image inspect -f "{{index .Config.Labels \"$RECIPE_LABEL\"}}" "$1" 2>/dev/null || true; }
image_id() { docker image inspect -f '{{.Id}}' "$1" 2>/dev/null || true; }
mb() { docker image inspect -f '{{.Size}}' "$1" | awk '{ printf "%.0fMB", $1 / 1e6 }'; }

run_logged() {
  local logfile=$work/logs/$1.log
  shift
  mkdir -p "$work/logs"
  if ! "$@" >"$logfile" 2>&1; then
    log "failed: $*; last lines of $logfile:"
    tail -n 30 "$logfile" >&2
    return 1
  fi
}

# The release pinned in the test cluster's kube module (test/cluster/build.sh builds it, kubeadm included).
kube_version() {
  sed -n 's#^[[:space:]]*\(require \)\{0,1\}k8s.io/kubernetes \(v[^ ]*\).*#\2#p' "$here/../cluster/kube/go.mod" | head -n1
}

needs() { [ ! -x "$BIN/$1" ] || [ "$(cat "$BIN/.$1.pin" 2>/dev/null)" != "$2" ]; }
stamp() { echo "$2" >"$BIN/.$1.pin"; }

setup_go() {
  command -v go >/dev/null 2>&1 || die "Go 1.26 or newer must be on PATH to build kind and crictl"
  export CGO_ENABLED=0
}

# --- binaries ------------------------------------------------------------

build_kind() {
  needs kind "$KIND_VERSION" || return 0
  setup_go
  local t; t=$(now)
  GOBIN=$BIN GOFLAGS=-buildvcs=false run_logged kind go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kind@$KIND_VERSION"
  stamp kind "$KIND_VERSION"
  log "built kind $KIND_VERSION in $(since "$t")s"
}

build_crictl() {
  needs crictl "$CRICTL_VERSION" || return 0
  setup_go
  local t; t=$(now)
  GOBIN=$BIN GOFLAGS=-buildvcs=false run_logged crictl go install -trimpath -ldflags "-s -w" \
    "sigs.k8s.io/cri-tools/cmd/crictl@$CRICTL_VERSION"
  stamp crictl "$CRICTL_VERSION"
  log "built crictl $CRICTL_VERSION in $(since "$t")s"
}

# --- base image ----------------------------------------------------------

host_mirror() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk -v suite="$SUITE" '$1 == "deb" {
      i = 2
      if ($i ~ /^\[/) { while (i < NF && $i !~ /\]$/) i++; i++ }
      if ($(i + 1) == suite) { print $i; exit }
    }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v suite="$SUITE" 'BEGIN { RS = ""; FS = "\n" } {
      uris = suites = ""
      for (i = 1; i <= NF; i++) {
        key = tolower($i); sub(/:.*/, "", key); value = $i; sub(/^[^:]*:[ \t]*/, "", value)
        if (key == "uris") uris = value; else if (key == "suites") suites = value
      }
      if ((" " suites " ") ~ (" " suite " ")) { split(uris, u, /[ \t]+/); print u[1]; exit }
    }' "$f"
  done
}

remove_rootfs() {
  [ -d "$1" ] || return 0
  findmnt -rn -o TARGET | awk -v dir="$1/" 'index($0, dir) == 1' | sort -r | xargs -r -n1 umount -l
  rm -rf --one-file-system "$1"
}

# kind's images/base/Dockerfile, step by step, on a debootstrapped root.
assemble_base() {
  local root=$1 files=$2 kb=$3
  # static files, with the modes of the Dockerfile's COPY --chmod
  cp -r "$files/kind" "$root/kind"
  find "$root/kind" -type f -exec chmod 0644 {} +
  chmod 0755 "$root/kind" "$root/kind/bin" "$root"/kind/bin/*
  install -m 0755 "$files"/usr/local/bin/* "$root/usr/local/bin/"
  mkdir -p "$root/LICENSES" "$root/etc/containerd" "$root/etc/default" "$root/etc/systemd/system/kubelet.service.d"
  install -m 0644 "$files"/LICENSES/* "$root/LICENSES/"
  install -m 0644 "$files/etc/crictl.yaml" "$root/etc/"
  install -m 0644 "$files"/etc/containerd/* "$root/etc/containerd/"
  install -m 0644 "$files"/etc/default/* "$root/etc/default/"
  install -m 0644 "$files"/etc/sysctl.d/* "$root/etc/sysctl.d/"
  install -m 0644 "$files"/etc/systemd/system/*.service "$files"/etc/systemd/system/*.slice "$root/etc/systemd/system/"
  install -m 0644 "$files"/etc/systemd/system/kubelet.service.d/* "$root/etc/systemd/system/kubelet.service.d/"
  # The pause image kubeadm v1.37 wants, so one image serves both. Where root
  # lacks CAP_SYS_RESOURCE, a sandbox's oom_score_adj of -998 cannot be set
  # ("can't get final child's PID from pipe: EOF"): clamp it, as rootless does.
  sed -i -e 's#sandbox_image = "registry.k8s.io/pause:3.10"#sandbox_image = "registry.k8s.io/pause:3.10.2"#' \
    -e 's/restrict_oom_score_adj = false/restrict_oom_score_adj = true/' "$root/etc/containerd/config.toml"
  # the Dockerfile's unit clean-up and enables
  find "$root/lib/systemd/system/sysinit.target.wants/" -name systemd-tmpfiles-setup.service -delete
  rm -f "$root"/lib/systemd/system/multi-user.target.wants/* "$root"/etc/systemd/system/*.wants/* \
    "$root"/lib/systemd/system/local-fs.target.wants/* "$root"/lib/systemd/system/sockets.target.wants/*udev* \
    "$root"/lib/systemd/system/sockets.target.wants/*initctl* "$root"/lib/systemd/system/basic.target.wants/*
  echo "ReadKMsg=no" >>"$root/etc/systemd/journald.conf"
  ln -sf /usr/lib/systemd/systemd "$root/sbin/init"
  chroot "$root" systemctl enable kubelet.service containerd.service undo-mount-hacks.service
  chroot "$root" systemctl mask systemd-binfmt.service
  mkdir -p "$root/etc/kubernetes/manifests"
  # containerd v2.4.2 (test/cluster/build.sh), crictl; Debian's runc where
  # kind's units expect it; Debian's CNI plugins where kubelet looks
  install -m 0755 "$kb/containerd" "$kb/ctr" "$kb/containerd-shim-runc-v2" "$BIN/crictl" "$root/usr/local/bin/"
  ln -sf /usr/sbin/runc "$root/usr/local/sbin/runc"
  mkdir -p "$root/opt/cni/bin"
  local p
  for p in host-local loopback ptp portmap bridge; do ln -sf "/usr/lib/cni/$p" "$root/opt/cni/bin/$p"; done
  "$kb/ctr" oci spec |
    jq '.hooks.createContainer[.hooks.createContainer | length] |= . + {"path": "/kind/bin/mount-product-files.sh"}' |
    jq 'del(.process.rlimits)' >"$root/etc/containerd/cri-base.json"
  # as clean-install and Debian's slim images
  chroot "$root" apt-get clean
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/log/*.log "$root"/var/log/apt/* \
    "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/locale/* "$root"/usr/share/info/*
  : >"$root/etc/resolv.conf"
  : >"$root/etc/hostname"
}

# Docker 20.10's `import --change` rejects STOPSIGNAL: import, then one
# legacy-builder step (no RUN: this dockerd's builds have no network).
import_image() { # ROOT TAG HASH
  local ctx=$work/ctx/import
  tar -C "$1" --numeric-owner -c . | docker import --change 'ENV container=docker' - "$2-rootfs" >/dev/null
  rm -rf "$ctx" && mkdir -p "$ctx"
  printf 'FROM %s\nSTOPSIGNAL SIGRTMIN+3\nENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]\nLABEL %s=%s\n' \
    "$2-rootfs" "$RECIPE_LABEL" "$3" >"$ctx/Dockerfile"
  DOCKER_BUILDKIT=0 run_logged "import-$(basename "${2%%:*}")" docker build -t "$2" "$ctx"
  docker rmi "$2-rootfs" >/dev/null
  rm -rf "$ctx"
}

build_base() {
  local t hash files kb=$KUBE_BIN root=$work/rootfs/kind-base mirror
  t=$(now)
  files=$(go env GOMODCACHE)/sigs.k8s.io/kind@$KIND_VERSION/images/base/files
  if [ ! -d "$files" ]; then
    (cd / && GOFLAGS=-mod=mod go mod download "sigs.k8s.io/kind@$KIND_VERSION")
  fi
  hash=$( {
    echo "$SUITE $BASE_PACKAGES $KIND_VERSION"
    cat "$kb/.containerd.pin" "$BIN/.crictl.pin"
    declare -f assemble_base import_image
    (cd "$files" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
  } | sha)
  if [ "$(recipe_of "$BASE_IMAGE")" = "$hash" ]; then
    summary+=("$BASE_IMAGE $(mb "$BASE_IMAGE") cached")
    return 0
  fi
  mirror=$(host_mirror | grep -m1 -E '^https?://' || echo "$DEFAULT_MIRROR")
  remove_rootfs "$root"
  mkdir -p "$root" "$work/debootstrap-debs"
  rootfs_dir=$root
  log "debootstrap $SUITE from $mirror (cold: about a minute)"
  run_logged debootstrap debootstrap --variant=minbase --cache-dir="$work/debootstrap-debs" \
    --include="$BASE_PACKAGES" "$SUITE" "$root" "$mirror"
  run_logged assemble-base assemble_base "$root" "$files" "$kb"
  import_image "$root" "$BASE_IMAGE" "$hash"
  remove_rootfs "$root"
  rootfs_dir=
  summary+=("$BASE_IMAGE $(mb "$BASE_IMAGE") built $(since "$t")s")
}

# --- node image ----------------------------------------------------------

# scratch_image TAG ENTRY BINARY...: the binaries in /usr/local/bin, a passwd
# that knows nobody, as a distroless image would.
scratch_image() {
  local tag=$1 img=$work/ctx/img
  shift
  rm -rf "$img" && mkdir -p "$img/usr/local/bin" "$img/etc" "$img/tmp"
  cp "$@" "$img/usr/local/bin/"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n' >"$img/etc/passwd"
  chmod 1777 "$img/tmp"
  tar -C "$img" --numeric-owner --owner=0 --group=0 -c . |
    docker import --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' - "$tag" >/dev/null
  rm -rf "$img"
}

# kube-proxy runs iptables(-nft), ip6tables, conntrack and nft: those from
# the base image with the libraries they link (ldd) and xtables' modules,
# plus kube-proxy itself; nothing else (no shell), as distroless-iptables.
kube_proxy_files() {
  local root=$1 tool p
  local tools=(/usr/sbin/xtables-nft-multi /usr/sbin/xtables-legacy-multi /usr/sbin/conntrack /usr/sbin/nft)
  printf '%s\n' ./lib ./lib64 ./bin ./sbin ./usr/lib/x86_64-linux-gnu/xtables ./etc/alternatives ./tmp ./run
  for p in etc/protocols etc/services etc/ethertypes etc/nsswitch.conf; do [ -e "$root/$p" ] && echo "./$p"; done
  find "$root/usr/sbin" -maxdepth 1 -type l \( -name 'ip*tables*' -o -name 'ebtables*' -o -name 'arptables*' \) -printf './usr/sbin/%f\n'
  for tool in "${tools[@]}"; do
    echo ".$tool"
    chroot "$root" ldd "$tool" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
  done | sort -u | while read -r p; do
    [ "${p#.}" = "$p" ] || { echo "$p"; continue; }
    # the link as named (its directories resolved: /lib is usr/lib) and what it points to
    echo ".$(chroot "$root" realpath -e "$(dirname "$p")")/$(basename "$p")"
    echo ".$(chroot "$root" realpath -e "$p")"
  done
}

kube_proxy_image() {
  local tag=$1 cid root=$work/ctx/kube-proxy
  remove_rootfs "$root"
  mkdir -p "$root"
  cid=$(docker create "$BASE_IMAGE")
  docker export "$cid" | tar -x -C "$root"
  docker rm "$cid" >/dev/null
  install -m 0755 "$KUBE_BIN/kube-proxy" "$root/usr/local/bin/"
  { kube_proxy_files "$root"; echo ./usr/local/bin/kube-proxy; } | sort -u >"$work/ctx/kube-proxy.files"
  tar -C "$root" --numeric-owner --no-recursion -c ./usr ./usr/lib ./usr/lib/x86_64-linux-gnu ./usr/lib64 ./usr/sbin \
    ./usr/local ./usr/local/bin ./etc --recursion -T "$work/ctx/kube-proxy.files" |
    docker import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$tag" >/dev/null
  remove_rootfs "$root"
  rm -f "$work/ctx/kube-proxy.files"
}

# make_images: the images kubeadm asks for (`kubeadm config images list`),
# each from the test cluster's binaries. etcd is the project's pin (3.6),
# tagged so; kind-cluster.yaml points kubeadm at that tag. CoreDNS is not
# made: nothing in the e2e resolves names (its pods stay Pending).
make_images() {
  local ref name
  images=()
  for ref in $("$KUBE_BIN/kubeadm" config images list --kubernetes-version "$KUBE_VERSION" 2>/dev/null); do
    name=${ref##*/}
    name=${name%%:*}
    case $name in
      kube-apiserver | kube-controller-manager | kube-scheduler)
        scratch_image "$ref" "$KUBE_BIN/$name" ;;
      kube-proxy) kube_proxy_image "$ref" ;;
      pause)
        tar -C "$KUBE_BIN" --numeric-owner --owner=0 --group=0 -c pause |
          docker import --change 'ENTRYPOINT ["/pause"]' - "$ref" >/dev/null ;;
      etcd)
        ref=registry.k8s.io/etcd:$ETCD_TAG
        scratch_image "$ref" "$KUBE_BIN/etcd" ;;
      coredns) continue ;;
      *) die "kubeadm wants $ref, which this script does not know how to make" ;;
    esac
    images+=("$ref")
  done
}

# The images into a containerd content store under CTX/containerd, as kind's
# node-image build does (k8s.io namespace, not unpacked, pinned), with a
# throwaway containerd v2.4.2 of the node's own version.
preload() {
  local ctx=$1 dir=/run/hypertune-kind-preload cpid ref
  mkdir -p "$dir"
  cat >"$dir/config.toml" <<EOF
version = 3
root = "$ctx/containerd"
state = "$dir/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.cri.v1.runtime", "io.containerd.cri.v1.images"]
[grpc]
  address = "$dir/c.sock"
[ttrpc]
  address = "$dir/c.sock.ttrpc"
EOF
  "$KUBE_BIN/containerd" --config "$dir/config.toml" >"$work/logs/preload-containerd.log" 2>&1 &
  cpid=$!
  preload_pid=$cpid
  local deadline=$((SECONDS + 30))
  until [ -S "$dir/c.sock" ]; do
    if ! kill -0 "$cpid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
      die "preload containerd did not start; see $work/logs/preload-containerd.log"
    fi
    sleep 0.2
  done
  for ref in "${images[@]}"; do
    docker save "$ref" | "$KUBE_BIN/ctr" -a "$dir/c.sock" -n k8s.io images import \
      --label=io.cri-containerd.pinned=pinned --all-platforms --no-unpack --digests - >>"$work/logs/preload.log" 2>&1
  done
  # --digests also names each image import-DATE@DIGEST: only the tags are wanted.
  "$KUBE_BIN/ctr" -a "$dir/c.sock" -n k8s.io images ls -q 2>/dev/null | grep '^import-' |
    xargs -r "$KUBE_BIN/ctr" -a "$dir/c.sock" -n k8s.io images rm >/dev/null 2>&1
  "$KUBE_BIN/ctr" -a "$dir/c.sock" -n k8s.io images ls -q 2>/dev/null | grep -v '^sha256:' >&2
  kill "$cpid"
  wait "$cpid" 2>/dev/null || true
  preload_pid=
  rm -rf "$dir"
}

node_dockerfile() {
  cat <<EOF
FROM $BASE_IMAGE
COPY kubeadm kubelet kubectl /usr/bin/
COPY version /kind/version
COPY 10-ptp.conflist /etc/cni/net.d/
COPY containerd /var/lib/containerd
EOF
}

# One node, no kindnetd (its image is not made): ptp + host-local, as
# kind-cluster.yaml's disableDefaultCNI expects.
ptp_conflist() {
  cat <<'EOF'
{"cniVersion": "1.0.0", "name": "kind-ptp", "plugins": [
  {"type": "ptp", "ipMasq": true, "mtu": 1500,
   "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.244.0.0/24"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
  {"type": "portmap", "capabilities": {"portMappings": true}}
]}
EOF
}

build_node() {
  local t hash ctx=$work/ctx/node name
  t=$(now)
  hash=$( {
    image_id "$BASE_IMAGE"
    echo "$KUBE_VERSION $ETCD_TAG"
    for name in kubeadm kubelet kubectl kube-apiserver kube-controller-manager kube-scheduler kube-proxy etcd pause containerd; do
      echo "$name $(cat "$KUBE_BIN/.$name.pin")"
    done
    sha <"$KUBE_BIN/pause"
    declare -f make_images scratch_image kube_proxy_files kube_proxy_image preload node_dockerfile ptp_conflist
  } | sha)
  if [ "$(recipe_of "$NODE_IMAGE")" = "$hash" ]; then
    summary+=("$NODE_IMAGE $(mb "$NODE_IMAGE") cached")
    return 0
  fi
  rm -rf "$ctx" && mkdir -p "$ctx"
  make_images
  preload "$ctx"
  cp "$KUBE_BIN/kubeadm" "$KUBE_BIN/kubelet" "$KUBE_BIN/kubectl" "$ctx/"
  printf '%s' "$KUBE_VERSION" >"$ctx/version"
  ptp_conflist >"$ctx/10-ptp.conflist"
  node_dockerfile >"$ctx/Dockerfile"
  DOCKER_BUILDKIT=0 run_logged node docker build --label "$RECIPE_LABEL=$hash" -t "$NODE_IMAGE" "$ctx"
  rm -rf "$ctx"
  docker rmi "${images[@]}" >/dev/null
  summary+=("$NODE_IMAGE $(mb "$NODE_IMAGE") built $(since "$t")s")
}

# --- main ----------------------------------------------------------------

rootfs_dir=
preload_pid=
on_exit() {
  [ -z "$preload_pid" ] || kill "$preload_pid" 2>/dev/null || true
  rm -rf /run/hypertune-kind-preload
  [ -z "$rootfs_dir" ] || remove_rootfs "$rootfs_dir" || true
}

main() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, chroot)"
  docker info >/dev/null 2>&1 || die "the kind dockerd does not answer: run $here/kind-dockerd.sh start"
  local tool
  for tool in debootstrap jq chroot; do
    command -v "$tool" >/dev/null || die "$tool not found: apt-get install debootstrap jq coreutils"
  done
  KUBE_VERSION=$(kube_version)
  KUBE_BIN=$cache_root/kube/$KUBE_VERSION
  NODE_IMAGE=hypertune-test/kind-node:$KUBE_VERSION
  local name
  for name in kubeadm kubelet kubectl kube-apiserver kube-controller-manager kube-scheduler kube-proxy etcd pause containerd ctr containerd-shim-runc-v2; do
    [ -x "$KUBE_BIN/$name" ] || die "$KUBE_BIN/$name not found: run test/cluster/build.sh"
  done
  ETCD_TAG=$(sed 's/^v//' "$KUBE_BIN/.etcd.pin")
  trap on_exit EXIT
  mkdir -p "$BIN" "$work/ctx"
  summary=()
  local t line
  t=$(now)
  build_kind
  build_crictl
  build_base
  build_node
  printf -v line '%s; ' "${summary[@]}"
  log "images ($(since "$t")s): ${line%; }"
  echo "$NODE_IMAGE"
}

main "$@"
