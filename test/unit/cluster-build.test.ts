// test/cluster/build.sh against a stub `go`: a cold cache must ask Go for every
// binary (it once skipped etcd, helm and kubeconform by matching a newline-separated
// list with spaces), a warm one must not run Go at all, and a missing or stale
// binary is rebuilt alone. Nothing is compiled, so this takes well under a second.
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  allBinaryNames,
  type BinaryName,
  buildScript,
  clusterDir,
  type ExtraKubeMinor,
  extraKubeVersion,
  kubeBinaryNames,
  kubeVersion,
  requireBinaries,
} from "../cluster/binaries.js";

// Which `go` call makes each binary; a Record, so a new BinaryName fails tsc
// here until this says how build.sh builds it.
const madeBy: Record<BinaryName, "kube module" | "etcd module" | "gitops module" | "go install"> = {
  "kube-apiserver": "kube module",
  "kube-controller-manager": "kube module",
  "kube-scheduler": "kube module",
  kubectl: "kube module",
  kubelet: "kube module",
  "kube-proxy": "kube module",
  kubeadm: "kube module",
  fakegpu: "kube module",
  pause: "kube module",
  kwok: "kube module",
  etcd: "etcd module",
  containerd: "go install",
  "containerd-shim-runc-v2": "go install",
  ctr: "go install",
  helm: "go install",
  kubeconform: "go install",
  "source-controller": "gitops module",
  "kustomize-controller": "gitops module",
  "argocd-health": "gitops module",
};
const kubeModuleNames = allBinaryNames.filter((name) => madeBy[name] === "kube module");
const gitopsModuleNames = allBinaryNames.filter((name) => madeBy[name] === "gitops module");

// Logs each call (cwd, GOBIN, argv; fields end in \x1f, calls in \x1e), then
// fakes only what build.sh asks of go; anything else fails loudly. No `${` in
// it, so the template needs no escaping.
const goStub = String.raw`#!/usr/bin/env bash
set -e
printf '%s\x1f' "$PWD" "$GOBIN" "$@" >> "$GO_STUB_LOG"
printf '\x1e' >> "$GO_STUB_LOG"
fail() { echo "go stub: $*" >&2; exit 1; }
exe() { printf '#!/bin/sh\n' > "$1" && chmod +x "$1"; }
case "$1 $2" in
  "env GOCACHE" | "env GOMODCACHE") echo "$GO_STUB_DIR/$2"; exit 0 ;;
  "mod download") [ $# = 2 ] || fail "unexpected: go $*"; exit 0 ;;
esac
if [ $# = 5 ] && [ "$1 $2 $3 $5" = "list -m -f k8s.io/kubernetes" ]; then
  echo 2026-01-01T00:00:00Z; exit 0
fi
if [ $# = 5 ] && [ "$1 $2 $3 $4" = "list -m -f {{.Dir}}" ]; then
  dir="$GO_STUB_DIR/mod/$5"; mkdir -p "$dir/config/crd/bases"
  echo "kind: CustomResourceDefinition" > "$dir/config/crd/bases/$(basename "$5").yaml"
  for stage in node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease pod/fast/pod-ready pod/fast/pod-delete; do
    mkdir -p "$dir/kustomize/stage/$(dirname "$stage")" && echo "kind: Stage" > "$dir/kustomize/stage/$stage.yaml"
  done
  echo "$dir"; exit 0
fi
[ "$1" = build ] || [ "$1" = install ] || fail "unexpected: go $*"
verb=$1; out=; shift
while [ $# -gt 0 ]; do
  case $1 in
    -o) out=$2; shift 2 ;;
    -ldflags | -tags) shift 2 ;;
    -*) shift ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || fail "$verb without packages"
for pkg in "$@"; do
  name=$(basename "$(echo "$pkg" | cut -d@ -f1)")
  if [ "$verb" = install ]; then
    [ -n "$GOBIN" ] || fail "install without GOBIN"
    exe "$GOBIN/$name"
  else
    case $out in
      */) exe "$out$name" ;;
      "") fail "build without -o" ;;
      *) [ $# = 1 ] || fail "-o FILE with several packages"; exe "$out" ;;
    esac
  fi
done
`;

interface GoCall {
  cwd: string;
  gobin: string;
  args: string[];
}

/** The files a `go build` or `go install` call writes, by go's rules for -o and GOBIN. */
function outputs(call: GoCall): string[] {
  const [verb, ...rest] = call.args;
  if (verb !== "build" && verb !== "install") return [];
  let out = "";
  const packages: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? "";
    if (arg === "-o") out = rest[++i] ?? "";
    else if (arg === "-ldflags" || arg === "-tags") i++;
    else if (!arg.startsWith("-")) packages.push(arg);
  }
  const name = (pkg: string) => basename(pkg.split("@")[0] ?? pkg);
  if (verb === "install") return packages.map((pkg) => join(call.gobin, name(pkg)));
  return out.endsWith("/") ? packages.map((pkg) => out + name(pkg)) : [out];
}

const sandboxes: string[] = [];
afterEach(() => {
  for (const dir of sandboxes.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * An empty cache, HOME and go stub; run() runs build.sh once (with `--also M`
 * for each extra minor M) and returns that run's go calls.
 */
function sandbox() {
  const root = mkdtempSync(join(tmpdir(), "hypertune-build-"));
  sandboxes.push(root);
  const cache = join(root, "cache");
  const log = join(root, "go.log");
  writeFileSync(join(root, "go"), goStub);
  chmodSync(join(root, "go"), 0o755);
  const env = {
    PATH: `${root}:${process.env.PATH ?? ""}`,
    HOME: join(root, "home"),
    XDG_CACHE_HOME: cache,
    GO_STUB_LOG: log,
    GO_STUB_DIR: root,
  };
  const binDir = join(cache, "hypertune", "kube", kubeVersion());
  const extraBinDir = (minor: ExtraKubeMinor) => join(cache, "hypertune", "kube", extraKubeVersion(minor));
  const run = (also: readonly ExtraKubeMinor[] = []) => {
    writeFileSync(log, "");
    const args = also.flatMap((minor) => ["--also", minor]);
    const result = spawnSync("bash", [buildScript, ...args], { env, encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    // The main bin directory, then one line per extra minor: nothing else at the end.
    const last = result.stdout
      .trimEnd()
      .split("\n")
      .slice(-1 - also.length);
    expect(last).toEqual([binDir, ...also.map(extraBinDir)]);
    const calls = readFileSync(log, "utf8")
      .split("\x1e")
      .filter((record) => record !== "")
      .map((record): GoCall => {
        const [cwd = "", gobin = "", ...args] = record.split("\x1f").slice(0, -1);
        return { cwd: realpathSync(cwd), gobin, args };
      });
    return { calls, built: calls.flatMap(outputs) };
  };
  return { binDir, extraBinDir, run };
}

const inBin = (binDir: string, names: readonly string[]) => names.map((name) => join(binDir, name)).sort();

describe("test/cluster/build.sh", () => {
  it("builds every binary on a cold cache, the kube module's in one `go build`", () => {
    const { binDir, run } = sandbox();
    const { calls, built } = run();

    // Each binary asked of go exactly once, into the bin directory.
    expect(built.sort()).toEqual(inBin(binDir, allBinaryNames));
    expect(() => requireBinaries(binDir, allBinaryNames)).not.toThrow();

    const kubeDir = realpathSync(join(clusterDir, "kube"));
    const kubeBuilds = calls.filter((call) => call.args[0] === "build" && call.cwd === kubeDir);
    expect(kubeBuilds).toHaveLength(1);
    expect(outputs(kubeBuilds[0] as GoCall).sort()).toEqual(inBin(binDir, kubeModuleNames));

    // The GitOps set in one more `go build`, and Flux's CRDs copied beside it.
    const gitopsDir = realpathSync(join(clusterDir, "gitops"));
    const gitopsBuilds = calls.filter((call) => call.args[0] === "build" && call.cwd === gitopsDir);
    expect(gitopsBuilds).toHaveLength(1);
    expect(outputs(gitopsBuilds[0] as GoCall).sort()).toEqual(inBin(binDir, gitopsModuleNames));
    expect(readdirSync(join(binDir, "flux-crds")).sort()).toEqual([
      "kustomize-controller.yaml",
      "source-controller.yaml",
    ]);
    // KWOK's node and pod stages copied from its module for the scale tests.
    expect(readdirSync(join(binDir, "kwok-stages")).sort()).toEqual([
      "node-heartbeat-with-lease.yaml",
      "node-initialize.yaml",
      "pod-delete.yaml",
      "pod-ready.yaml",
    ]);
  });

  it("runs no go at all on a warm cache", () => {
    const { run } = sandbox();
    run();
    expect(run().calls).toEqual([]);
  });

  it("rebuilds only a binary that was deleted with its pin stamp", () => {
    const { binDir, run } = sandbox();
    run();
    rmSync(join(binDir, "etcd"));
    rmSync(join(binDir, ".etcd.pin"));
    expect(run().built).toEqual([join(binDir, "etcd")]);
    expect(() => requireBinaries(binDir, allBinaryNames)).not.toThrow();
  });

  it.each(["helm", "kubelet"] as const)("rebuilds only %s when its pin is stale", (name) => {
    const { binDir, run } = sandbox();
    run();
    const stamp = join(binDir, `.${name}.pin`);
    const current = readFileSync(stamp, "utf8");
    writeFileSync(stamp, "v0.0.1\n");
    expect(run().built).toEqual([join(binDir, name)]);
    expect(readFileSync(stamp, "utf8")).toBe(current);
  });

  describe("--also v1.29", () => {
    const kube129Dir = () => realpathSync(join(clusterDir, "kube-v1.29"));

    it("builds the six Kubernetes commands of v1.29 in one more `go build`, besides the main set", () => {
      const { binDir, extraBinDir, run } = sandbox();
      const extraDir = extraBinDir("v1.29");
      expect(extraDir).not.toBe(binDir);
      const { calls, built } = run(["v1.29"]);

      expect(built.sort()).toEqual(
        [...inBin(binDir, allBinaryNames), ...inBin(extraDir, kubeBinaryNames)].sort(),
      );
      const oldBuilds = calls.filter((call) => call.args[0] === "build" && call.cwd === kube129Dir());
      expect(oldBuilds).toHaveLength(1);
      expect(outputs(oldBuilds[0] as GoCall).sort()).toEqual(inBin(extraDir, kubeBinaryNames));
      // Stamped with its own version, so a later run knows it is current.
      expect(readFileSync(join(extraDir, ".kubelet.pin"), "utf8")).toBe(`${extraKubeVersion("v1.29")}\n`);
      expect(() => requireBinaries(extraDir, kubeBinaryNames)).not.toThrow();
    });

    it("builds only the v1.29 set when the main set is warm, and nothing once both are", () => {
      const { extraBinDir, run } = sandbox();
      run();
      const { calls, built } = run(["v1.29"]);
      expect(built.sort()).toEqual(inBin(extraBinDir("v1.29"), kubeBinaryNames));
      expect(calls.filter((call) => call.args[0] === "build")).toHaveLength(1);
      expect(run(["v1.29"]).calls).toEqual([]);
      // Without --also the output and the work are as before.
      expect(run().calls).toEqual([]);
    });

    it("rebuilds only a stale v1.29 binary", () => {
      const { binDir, extraBinDir, run } = sandbox();
      run(["v1.29"]);
      const extraDir = extraBinDir("v1.29");
      writeFileSync(join(extraDir, ".kube-proxy.pin"), "v0.0.1\n");
      expect(run(["v1.29"]).built).toEqual([join(extraDir, "kube-proxy")]);
      expect(readFileSync(join(binDir, ".kube-proxy.pin"), "utf8")).toBe(`${kubeVersion()}\n`);
    });
  });
});
