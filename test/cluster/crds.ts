// Installs the CRDs under crds/ into a test cluster and waits until they serve.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { CustomObjectsApi, type KubeConfig, type V1CustomResourceDefinition } from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import { waitUntil } from "./process.js";

/**
 * Every CustomResourceDefinition in the YAML files of `dir`, as written: keys
 * are the wire names (`x-kubernetes-preserve-unknown-fields`, `enum`), not
 * client-node's model names, so send them only through an untyped API.
 */
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

const crdRef = { group: "apiextensions.k8s.io", version: "v1", plural: "customresourcedefinitions" };

/**
 * Creates or replaces each CRD, waits for it to be Established and returns
 * them as the API server has them. CustomObjectsApi, not ApiextensionsV1Api:
 * the typed serializer reads model field names and would silently drop every
 * `x-kubernetes-*`, `enum` and `default` key of a CRD parsed from YAML.
 */
export async function applyCrds(
  kc: KubeConfig,
  crds: V1CustomResourceDefinition[],
): Promise<V1CustomResourceDefinition[]> {
  const api = kc.makeApiClient(CustomObjectsApi);
  for (const crd of crds) {
    const name = crd.metadata?.name ?? "";
    try {
      await api.createClusterCustomObject({ ...crdRef, body: crd });
    } catch (error) {
      if ((error as { code?: number }).code !== 409) throw error;
      // Re-applied to a cluster that already has it (a reused cluster).
      const current = (await api.getClusterCustomObject({ ...crdRef, name })) as V1CustomResourceDefinition;
      const body = {
        ...crd,
        metadata: { ...crd.metadata, resourceVersion: current.metadata?.resourceVersion },
      };
      await api.replaceClusterCustomObject({ ...crdRef, name, body });
    }
  }
  const applied: V1CustomResourceDefinition[] = [];
  for (const crd of crds) {
    const name = crd.metadata?.name ?? "";
    let latest: V1CustomResourceDefinition | undefined;
    await waitUntil(
      `CRD ${name} Established`,
      async () => {
        latest = (await api.getClusterCustomObject({ ...crdRef, name })) as V1CustomResourceDefinition;
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
