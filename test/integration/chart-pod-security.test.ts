// The examples' trial pods under the `restricted` Pod Security Standard: each
// examples/*/tuningjob.yaml is rendered into its trial Job by the operator's
// own renderTrialJob (with the File collector's sidecar too), the Job is
// created in a namespace that enforces `restricted`, and the Job controller's
// pod must be admitted. Pod Security rejects pods, not Jobs, so the pod is
// what is awaited; a FailedCreate event ends the wait with its message.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { TuningJobSpec } from "../../src/api/index.js";
import { renderTrialJob } from "../../src/operator/render-job.js";
import type { Json } from "../support/tuningjob-api.js";
import { Hopeless, waitFor } from "../support/wait.js";
import { clients } from "./operator-helpers.js";

const { core, batch } = clients();
const namespace = `ht-restricted-${Date.now().toString(36)}`;
const examples = resolve(import.meta.dirname, "..", "..", "examples");

beforeAll(async () => {
  await core.createNamespace({
    body: {
      metadata: {
        name: namespace,
        labels: {
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/enforce-version": "latest",
        },
      },
    },
  });
});

afterAll(async () => {
  await core.deleteNamespace({ name: namespace }).catch(() => undefined);
});

/** Some value of each parameter: which does not matter to admission. */
function someParameters(spec: TuningJobSpec): Record<string, string | number> {
  const values: Record<string, string | number> = {};
  for (const p of spec.parameters as Json[]) values[p.name] = p.min ?? p.values?.[0];
  return values;
}

function examplesWith(collector: "as written" | "File") {
  const folders = readdirSync(examples).filter((f) => existsSync(resolve(examples, f, "tuningjob.yaml")));
  expect(folders.length).toBeGreaterThan(0);
  return folders.map((folder) => {
    const doc = parse(readFileSync(resolve(examples, folder, "tuningjob.yaml"), "utf8")) as Json;
    if (collector === "File") doc.spec.metrics = { ...doc.spec.metrics, collector: "File" };
    return { folder, spec: TuningJobSpec.parse(doc.spec) };
  });
}

describe("the examples' trial Jobs in a restricted namespace", () => {
  for (const collector of ["as written", "File"] as const) {
    it(`are admitted (collector ${collector})`, async () => {
      for (const { folder, spec } of examplesWith(collector)) {
        const name = `${folder}-${collector === "File" ? "file" : "0"}`.toLowerCase();
        const job = renderTrialJob({
          jobName: folder,
          namespace,
          spec,
          trial: { name, uid: "", index: 0, parameters: someParameters(spec) },
          collectorImage: "ghcr.io/hypertune/hypertune:0.1.0",
        });
        // No Trial owns it here. A nodeSelector no Node has keeps the admitted pod
        // Pending (the node agent has no such image to run); Pod Security ignores it.
        job.metadata = { ...job.metadata, ownerReferences: [] };
        const podSpec = job.spec?.template.spec;
        if (podSpec) podSpec.nodeSelector = { "hypertune.dev/test-unschedulable": "true" };
        if (collector === "File")
          expect(job.spec?.template.spec?.initContainers?.map((c) => c.name)).toContain(
            "hypertune-collector",
          );
        await batch.createNamespacedJob({ namespace, body: job });
        const pod = await podOf(name);
        expect(pod.metadata?.namespace).toBe(namespace);
        await batch.deleteNamespacedJob({ name, namespace, propagationPolicy: "Background" });
      }
    });
  }

  it("while a Job whose pod does not pass is refused (the namespace enforces)", async () => {
    const name = "plain";
    await batch.createNamespacedJob({
      namespace,
      body: {
        metadata: { name },
        spec: {
          backoffLimit: 0,
          template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] } },
        },
      },
    });
    await expect(podOf(name)).rejects.toThrow(/violates PodSecurity\W+restricted:latest/);
  });
});

/** The Job's first pod, or Hopeless with the Job controller's FailedCreate message. */
function podOf(name: string) {
  return waitFor(
    `a pod of Job ${name}`,
    async () => {
      const events = await core.listNamespacedEvent({
        namespace,
        fieldSelector: `involvedObject.name=${name},reason=FailedCreate`,
      });
      if (events.items[0]) throw new Hopeless(`${name}: ${events.items[0].message}`);
      const pods = await core.listNamespacedPod({ namespace, labelSelector: `job-name=${name}` });
      return pods.items[0];
    },
    30_000,
  );
}
