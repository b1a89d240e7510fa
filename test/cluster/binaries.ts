// Where build.sh puts the pinned binaries, and a check that they are there.
import { accessSync, constants, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const clusterDir = dirname(fileURLToPath(import.meta.url));
export const buildScript = join(clusterDir, "build.sh");

/** Every binary build.sh puts in the bin directory (test/unit/cluster-build.test.ts checks it). */
export const allBinaryNames = [
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "kubectl",
  "kubelet",
  "kube-proxy",
  "fakegpu",
  "pause",
  "etcd",
  "containerd",
  "containerd-shim-runc-v2",
  "ctr",
  "helm",
  "kubeconform",
] as const;

export type BinaryName = (typeof allBinaryNames)[number];

/** The Kubernetes release pinned in test/cluster/kube/go.mod, e.g. "v1.37.2". */
export function kubeVersion(): string {
  const goMod = readFileSync(join(clusterDir, "kube", "go.mod"), "utf8");
  const match = /^\s*(?:require\s+)?k8s\.io\/kubernetes\s+(v\S+)/m.exec(goMod);
  if (!match?.[1]) throw new Error("test/cluster/kube/go.mod does not require k8s.io/kubernetes");
  return match[1];
}

/** Same rule as build.sh: ${XDG_CACHE_HOME:-$HOME/.cache}/hypertune/kube/<version>. */
export function defaultBinDir(): string {
  const cache = process.env.XDG_CACHE_HOME || join(process.env.HOME || homedir(), ".cache");
  return join(cache, "hypertune", "kube", kubeVersion());
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
