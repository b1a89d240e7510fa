// Where build.sh puts the pinned binaries, and a check that they are there.
import { accessSync, constants, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const clusterDir = dirname(fileURLToPath(import.meta.url));
export const buildScript = join(clusterDir, "build.sh");

/** The Kubernetes commands: all an extra version's bin directory holds (`build.sh --also`). */
export const kubeBinaryNames = [
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "kubectl",
  "kubelet",
  "kube-proxy",
] as const;

/** The GitOps controllers and Argo CD's health assessment (test/cluster/gitops/go.mod). */
export const gitopsBinaryNames = ["source-controller", "kustomize-controller", "argocd-health"] as const;

/** Every binary build.sh puts in the bin directory (test/unit/cluster-build.test.ts checks it). */
export const allBinaryNames = [
  ...kubeBinaryNames,
  "kubeadm",
  "fakegpu",
  "pause",
  "kwok",
  "etcd",
  "containerd",
  "containerd-shim-runc-v2",
  "ctr",
  "helm",
  "kubeconform",
  ...gitopsBinaryNames,
] as const;

export type BinaryName = (typeof allBinaryNames)[number];
export type KubeBinaryName = (typeof kubeBinaryNames)[number];

/**
 * Older Kubernetes minors build.sh can build besides the main set, each with
 * `build.sh --also <minor>` from test/cluster/kube-<minor>/go.mod.
 */
export const extraKubeMinors = ["v1.29"] as const;
export type ExtraKubeMinor = (typeof extraKubeMinors)[number];

/** The k8s.io/kubernetes version that test/cluster/<dir>/go.mod requires. */
function pinnedKubernetes(dir: string): string {
  const goMod = readFileSync(join(clusterDir, dir, "go.mod"), "utf8");
  const match = /^\s*(?:require\s+)?k8s\.io\/kubernetes\s+(v\S+)/m.exec(goMod);
  if (!match?.[1]) throw new Error(`test/cluster/${dir}/go.mod does not require k8s.io/kubernetes`);
  return match[1];
}

/** The Kubernetes release pinned in test/cluster/kube/go.mod, e.g. "v1.37.2". */
export function kubeVersion(): string {
  return pinnedKubernetes("kube");
}

/** The release pinned for an extra minor in test/cluster/kube-<minor>/go.mod, e.g. "v1.29.6". */
export function extraKubeVersion(minor: ExtraKubeMinor): string {
  const version = pinnedKubernetes(`kube-${minor}`);
  if (!version.startsWith(`${minor}.`)) {
    throw new Error(`test/cluster/kube-${minor}/go.mod pins k8s.io/kubernetes ${version}, not ${minor}.x`);
  }
  return version;
}

/** Same rule as build.sh: ${XDG_CACHE_HOME:-$HOME/.cache}/hypertune/kube/<version>. */
export function binDirFor(version: string): string {
  const cache = process.env.XDG_CACHE_HOME || join(process.env.HOME || homedir(), ".cache");
  return join(cache, "hypertune", "kube", version);
}

/** The main set's bin directory: everything in allBinaryNames. */
export function defaultBinDir(): string {
  return binDirFor(kubeVersion());
}

/** An extra minor's bin directory (`build.sh --also <minor>`): only kubeBinaryNames. */
export function extraBinDir(minor: ExtraKubeMinor): string {
  return binDirFor(extraKubeVersion(minor));
}

/** Paths of the named binaries; throws one message listing all missing ones. */
export function requireBinaries<N extends BinaryName>(
  binDir: string,
  names: readonly N[],
): Record<N, string> {
  const paths = {} as Record<N, string>;
  const missing: string[] = [];
  for (const name of names) {
    const path = join(binDir, name);
    try {
      accessSync(path, constants.X_OK);
    } catch {
      missing.push(name);
    }
    paths[name] = path;
  }
  if (missing.length > 0) {
    throw new Error(
      `missing test cluster binaries in ${binDir}: ${missing.join(", ")}. ` +
        `Build them with test/cluster/build.sh (needs Go; the first build takes a long while).`,
    );
  }
  return paths;
}
