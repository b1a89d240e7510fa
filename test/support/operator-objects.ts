/** TuningJob and Trial objects as the operator's caches hold them, for reconciler tests. */
import type { ParameterValues, TrialStatus } from "../../src/api/index.js";
import type { StoredTrial, StoredTuningJob } from "../../src/operator/deps.js";
import { trialLabels, trialName } from "../../src/operator/labels.js";
import { jobDocument } from "./jobs.js";

export const NAMESPACE = "team-a";

/** The test job (test/support/jobs.ts) as stored, with overrides merged into its spec. */
export function storedTuningJob(
  specOverrides: Record<string, unknown> = {},
  metadata: Partial<StoredTuningJob["metadata"]> = {},
): StoredTuningJob {
  const doc = jobDocument();
  return {
    apiVersion: doc.apiVersion,
    kind: doc.kind,
    metadata: { name: doc.metadata.name, namespace: NAMESPACE, uid: "uid-1", generation: 1, ...metadata },
    spec: { ...doc.spec, ...specOverrides },
  };
}

/** Trial `index` of `job`, labelled and named as the TuningJob controller creates it. */
export function storedTrial(
  job: StoredTuningJob,
  index: number,
  status?: TrialStatus,
  parameters: ParameterValues = { lr: 0.01, layers: 2, optimizer: "adam" },
): StoredTrial {
  const jobName = job.metadata.name;
  const name = trialName(jobName, index);
  return {
    apiVersion: "hypertune.dev/v1alpha1",
    kind: "Trial",
    metadata: {
      name,
      namespace: job.metadata.namespace,
      labels: trialLabels(jobName, name),
      creationTimestamp: new Date(index * 1000).toISOString(),
    },
    spec: { tuningJob: jobName, index, parameters },
    ...(status && { status }),
  } as StoredTrial;
}

/** A finished trial's status: `accuracy` reported at steps 1…n, the last one final. */
export function finishedStatus(
  accuracies: number[],
  phase: "Succeeded" | "Failed" | "EarlyStopped" = "Succeeded",
): TrialStatus {
  const history = accuracies.map((accuracy, i) => ({ step: i + 1, values: { accuracy } }));
  const last = accuracies.at(-1);
  return {
    phase,
    history,
    ...(phase === "Succeeded" && last !== undefined && { metrics: { accuracy: last } }),
    completionTime: new Date(60_000).toISOString(),
  };
}

/** A running trial's status with `accuracy` reported at steps 1…n. */
export function runningStatus(accuracies: number[]): TrialStatus {
  return {
    phase: "Running",
    history: accuracies.map((accuracy, i) => ({ step: i + 1, values: { accuracy } })),
  };
}
