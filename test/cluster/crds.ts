// Installs the CRDs under crds/ into a test cluster and waits until they serve.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  ApiextensionsV1Api,
  type KubeConfig,
  type V1CustomResourceDefinition,
} from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import { waitUntil } from "./process.js";

/** Every CustomResourceDefinition in the YAML files of `dir`. */
export async function readCrds(dir: string): Promise<V1CustomResourceDefinition[]> {
  const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
  const crds: V1CustomResourceDefinition[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(await readFile(join(dir, file), "utf8"))) {
      const object = doc.toJS() as V1CustomResourceDefinition | null;
      if (object?.kind === "CustomResourceDefinition") crds.push(object);
    }
  }
  return crds;
}

/** Creates or replaces each CRD, then waits for it to be Established. */
export async function applyCrds(
  kc: KubeConfig,
  crds: V1CustomResourceDefinition[],
): Promise<V1CustomResourceDefinition[]> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  for (const crd of crds) {
    const name = crd.metadata?.name ?? "";
    try {
      await api.createCustomResourceDefinition({ body: crd });
    } catch (error) {
      if ((error as { code?: number }).code !== 409) throw error;
      // Re-applied to a cluster that already has it (a reused cluster).
      const current = await api.readCustomResourceDefinition({ name });
      const body = {
        ...crd,
        metadata: { ...crd.metadata, resourceVersion: current.metadata?.resourceVersion },
      };
      await api.replaceCustomResourceDefinition({ name, body });
    }
  }
  const applied: V1CustomResourceDefinition[] = [];
  for (const crd of crds) {
    const name = crd.metadata?.name ?? "";
    let latest: V1CustomResourceDefinition | undefined;
    await waitUntil(
      `CRD ${name} Established`,
      async () => {
        latest = await api.readCustomResourceDefinition({ name });
        return (
          latest.status?.conditions?.some((c) => c.type === "Established" && c.status === "True") ?? false
        );
      },
      { timeoutMs: 60_000 },
    );
    if (latest) applied.push(latest);
  }
  return applied;
}
