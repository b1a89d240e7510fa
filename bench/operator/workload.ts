// What the benchmark runs: a trial whose container exits at once after one
// metric line, as a TuningJob and as a plain Job with the same command.
import type { V1Job } from "@kubernetes/client-node";
import type { Json } from "../../test/support/tuningjob-api.js";

/** Exits at once: no shell, no interpreter start-up, one `name=value` line. */
export const TRIAL_COMMAND = ["/bin/echo"];
export const TRIAL_ARGS = ["accuracy=${params.x}"];

export function benchTuningJob(name: string, maxTrials: number, parallelism: number, seed = 1): Json {
  return {
    apiVersion: "hypertune.dev/v1alpha1",
    kind: "TuningJob",
    metadata: { name },
    spec: {
      objective: { metric: "accuracy", direction: "Maximize" },
      parameters: [{ name: "x", type: "Float", min: 0, max: 1 }],
      search: { strategy: "Random", seed },
      limits: { maxTrials, parallelism, maxFailedTrials: maxTrials },
      trialTemplate: {
        job: {
          template: {
            spec: {
              restartPolicy: "Never",
              containers: [{ name: "train", image: "busybox", command: TRIAL_COMMAND, args: TRIAL_ARGS }],
            },
          },
        },
      },
    },
  };
}

export const BASELINE_LABEL = "bench.hypertune.dev/baseline";

/** The same container as a trial's, in a Job created directly: no operator involved. */
export function baselineJob(name: string): V1Job {
  return {
    metadata: { name, labels: { [BASELINE_LABEL]: "true" } },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { labels: { [BASELINE_LABEL]: "true" } },
        spec: {
          restartPolicy: "Never",
          containers: [{ name: "train", image: "busybox", command: TRIAL_COMMAND, args: ["accuracy=0.5"] }],
        },
      },
    },
  };
}
