// Largest stored TuningJob and Trial, in bytes of the JSON the API server
// serves (`kubectl get --raw`), since etcd's cap applies to each object.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import { defaultBinDir } from "../../test/cluster/binaries.js";
import type { Json } from "../../test/support/tuningjob-api.js";

const run = promisify(execFile);
const group = "hypertune.dev";
const version = "v1alpha1";

export interface LargestObject {
  kind: string;
  count: number;
  name: string;
  bytes: number;
}

async function rawBytes(kubeconfigPath: string, path: string): Promise<number> {
  const { stdout } = await run(
    join(defaultBinDir(), "kubectl"),
    ["--kubeconfig", kubeconfigPath, "get", "--raw", path],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return Buffer.byteLength(stdout);
}

/** Lists every object (in pages), picks the largest by its JSON, then measures that one with kubectl. */
export async function largestObject(
  kc: KubeConfig,
  kubeconfigPath: string,
  namespace: string,
  plural: "tuningjobs" | "trials",
): Promise<LargestObject> {
  const api = kc.makeApiClient(CustomObjectsApi);
  let best = { name: "", bytes: -1 };
  let count = 0;
  let _continue: string | undefined;
  do {
    const page = (await api.listNamespacedCustomObject({
      group,
      version,
      namespace,
      plural,
      limit: 500,
      ...(_continue ? { _continue } : {}),
    })) as { items: Json[]; metadata?: { continue?: string } };
    for (const item of page.items) {
      count++;
      const bytes = Buffer.byteLength(JSON.stringify(item));
      if (bytes > best.bytes) best = { name: item.metadata?.name, bytes };
    }
    _continue = page.metadata?.continue || undefined;
  } while (_continue);
  if (count === 0) return { kind: plural, count, name: "", bytes: 0 };
  const bytes = await rawBytes(
    kubeconfigPath,
    `/apis/${group}/${version}/namespaces/${namespace}/${plural}/${best.name}`,
  );
  return { kind: plural, count, name: best.name, bytes };
}
