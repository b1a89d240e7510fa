// bench:scale's cluster: the harness's real control plane (etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler) with KWOK's simulated nodes and the
// CRDs, plus what the run reads off it: the API server's request count and
// storage size, and the CPU each component spent.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { type ControlPlane, startControlPlane } from "../../test/cluster/control-plane.js";
import { applyCrds, readCrds } from "../../test/cluster/crds.js";
import { type Kwok, startKwok } from "../../test/cluster/kwok.js";
import { createReadyNamespace } from "../operator/bench-cluster.js";

const run = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, "..", "..");

export interface ScaleCluster {
  kubeconfigPath: string;
  kc: KubeConfig;
  controlPlane: ControlPlane;
  kwok: Kwok;
  newNamespace(name: string): Promise<string>;
  /** The API server's own /metrics text. */
  apiServerMetrics(): Promise<string>;
  /** CPU seconds (user + system) each process has used so far, by name. */
  cpuSeconds(): Record<string, number>;
  stop(): Promise<void>;
}

/** utime + stime of a live process, in seconds (USER_HZ is 100 on Linux). */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

export async function startScaleCluster(nodes: number): Promise<ScaleCluster> {
  const controlPlane = await startControlPlane({ unlimitedClientQps: true });
  let kwok: Kwok | undefined;
  try {
    kwok = await startKwok({
      kubeconfigPath: controlPlane.kubeconfigPath,
      logDir: controlPlane.logDir,
      nodes,
    });
    const kc = new KubeConfig();
    kc.loadFromFile(controlPlane.kubeconfigPath);
    await applyCrds(kc, await readCrds(join(repoRoot, "crds")));
    const core = kc.makeApiClient(CoreV1Api);
    const started = kwok;
    return {
      kubeconfigPath: controlPlane.kubeconfigPath,
      kc,
      controlPlane,
      kwok: started,
      newNamespace: (name) => createReadyNamespace(core, name),
      async apiServerMetrics() {
        const kubectl = join(controlPlane.binDir, "kubectl");
        const args = ["--kubeconfig", controlPlane.kubeconfigPath, "get", "--raw", "/metrics"];
        return (await run(kubectl, args, { maxBuffer: 256 * 1024 * 1024 })).stdout;
      },
      cpuSeconds() {
        const out: Record<string, number> = {};
        for (const p of controlPlane.processes) out[p.name] = processCpuSeconds(p.pid);
        out.kwok = processCpuSeconds(started.component.pid);
        return out;
      },
      async stop() {
        await started.stop();
        await controlPlane.stop();
      },
    };
  } catch (error) {
    await kwok?.stop();
    await controlPlane.stop();
    throw new Error(`${String(error)}\ncluster logs: ${controlPlane.logDir}`, { cause: error });
  }
}

/** Sum of a counter over all its series in Prometheus text. */
export function counterTotal(text: string, name: string): number {
  let total = 0;
  for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "gm"))) total += Number(m[1]);
  return total;
}

/** The largest value of a gauge over its series. */
export function gaugeMax(text: string, name: string): number {
  let max = Number.NaN;
  for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "gm"))) {
    const v = Number(m[1]);
    if (!(v <= max)) max = v;
  }
  return max;
}
