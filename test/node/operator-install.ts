// The operator as users run it: the chart installed with helm, the image
// built here, the Deployment's pod on the real node with in-cluster config.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CoreV1Api, V1Pod } from "@kubernetes/client-node";
import { nodeTestImages } from "../cluster/node/test-images.js";
import { chartDir, helm } from "../integration/chart-helpers.js";
import { waitFor } from "../support/wait.js";

export interface Release {
  name: string;
  namespace: string;
  home: string;
  uninstall(): Promise<void>;
}

const [repository, tag] = nodeTestImages.operator.split(":") as [string, string];

/** `helm install` of the chart into `namespace` (created restricted by the caller), then waits for a Ready pod. */
export async function installOperator(
  core: CoreV1Api,
  name: string,
  namespace: string,
  values: string[] = [],
): Promise<Release> {
  const home = await mkdtemp(join(tmpdir(), "hypertune-helm-"));
  await helm(
    home,
    "install",
    name,
    chartDir,
    "-n",
    namespace,
    "--set",
    `image.repository=${repository}`,
    "--set",
    `image.tag=${tag}`,
    ...values,
  );
  await readyOperatorPods(core, name, namespace, 1);
  return {
    name,
    namespace,
    home,
    async uninstall() {
      await helm(home, "uninstall", name, "-n", namespace, "--wait").catch(() => undefined);
      await rm(home, { recursive: true, force: true });
    },
  };
}

export function operatorPods(core: CoreV1Api, release: string, namespace: string): Promise<V1Pod[]> {
  return (
    core
      // The chart's name label: the dashboard's pods (when enabled) are of the same release.
      .listNamespacedPod({
        namespace,
        labelSelector: `app.kubernetes.io/instance=${release},app.kubernetes.io/name=hypertune`,
      })
      .then((list) => list.items.filter((p) => !p.metadata?.deletionTimestamp))
  );
}

const ready = (pod: V1Pod) => pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");

/** Waits for `count` Ready operator pods and returns them. */
export async function readyOperatorPods(core: CoreV1Api, release: string, namespace: string, count: number) {
  return waitFor(
    `${count} Ready operator pod(s) of ${release}`,
    async () => {
      const pods = (await operatorPods(core, release, namespace)).filter(ready);
      return pods.length >= count ? pods : undefined;
    },
    180_000,
    500,
  );
}
