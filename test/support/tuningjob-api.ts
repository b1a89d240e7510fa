/**
 * TuningJobs and their Trials through the API server, as the integration
 * tests and the operator benchmark read and write them.
 */
import type { CustomObjectsApi } from "@kubernetes/client-node";
import { Hopeless, waitFor } from "./wait.js";

// biome-ignore lint/suspicious/noExplicitAny: objects as the API server returns them
export type Json = Record<string, any>;

const group = { group: "hypertune.dev", version: "v1alpha1" };

/**
 * Right after the chart installs the CRDs, the API server's admission policies
 * (the chart's MutatingAdmissionPolicy) do not know the new kind yet and answer
 * 503 "There can be a delay between when CustomResourceDefinitions are created
 * and when they are available"; kubectl and GitOps tools retry, and so do the tests.
 */
async function untilCrdServed<T>(create: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await create();
    } catch (err) {
      const pending =
        (err as { code?: number }).code === 503 && /CustomResourceDefinitions are created/.test(String(err));
      if (!pending || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

export function tuningJobs(custom: CustomObjectsApi, namespace: string) {
  return {
    create: (body: Json) =>
      untilCrdServed(
        () =>
          custom.createNamespacedCustomObject({
            ...group,
            plural: "tuningjobs",
            namespace,
            body,
          }) as Promise<Json>,
      ),
    get: (name: string) =>
      custom.getNamespacedCustomObject({ ...group, plural: "tuningjobs", namespace, name }) as Promise<Json>,
    delete: (name: string) =>
      custom.deleteNamespacedCustomObject({
        ...group,
        plural: "tuningjobs",
        namespace,
        name,
        propagationPolicy: "Background",
      }),
    trials: async (job: string): Promise<Json[]> => {
      const list = (await custom.listNamespacedCustomObject({
        ...group,
        plural: "trials",
        namespace,
        labelSelector: `hypertune.dev/job=${job}`,
      })) as { items: Json[] };
      return list.items;
    },
  };
}

/** Waits until the TuningJob is Complete (or Failed, when `phase` says so) and returns it. */
export async function waitForPhase(
  api: ReturnType<typeof tuningJobs>,
  name: string,
  phase: "Complete" | "Failed",
  timeoutMs = 120_000,
): Promise<Json> {
  let last: Json | undefined;
  try {
    return await waitFor(
      `TuningJob ${name} ${phase}`,
      async () => {
        last = await api.get(name);
        const other = phase === "Complete" ? "Failed" : "Complete";
        // A finished job stays finished: no point waiting out the timeout.
        if (last.status?.phase === other) throw new Hopeless(`TuningJob ${name} is ${other}`);
        return last.status?.phase === phase ? last : undefined;
      },
      timeoutMs,
    );
  } catch (err) {
    throw new Error(`${String(err)}\nlast status: ${JSON.stringify(last?.status)}`);
  }
}
