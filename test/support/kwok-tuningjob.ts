// The TuningJob the KWOK scale test and `npm run bench:scale` run: three Float
// parameters handed to the trial's container as PARAM_* env vars, which
// test/cluster/kwok/pod-complete.yaml turns into the pod's termination message
// `loss=Σ (PARAM_* − 0.3)²` after the pod's delay. The image is never pulled.
import { kwokPlacement } from "../cluster/kwok.js";
import type { Json } from "./tuningjob-api.js";

export const KWOK_PARAMETERS = ["x", "y", "z"] as const;

export interface KwokJobOptions {
  name: string;
  trials: number;
  parallelism: number;
  strategy: string;
  seed: number;
  /** How long each trial's pod runs, as KWOK reads it (e.g. "300ms", "10s"). */
  podDuration: string;
}

/** What the pod-complete stage writes for a trial's parameters. */
export function kwokLoss(parameters: Record<string, number>): number {
  return KWOK_PARAMETERS.reduce((sum, name) => sum + ((parameters[name] as number) - 0.3) ** 2, 0);
}

export function kwokTuningJob(opts: KwokJobOptions): Json {
  return {
    apiVersion: "hypertune.dev/v1alpha1",
    kind: "TuningJob",
    metadata: { name: opts.name },
    spec: {
      objective: { metric: "loss", direction: "Minimize" },
      metrics: { collector: "TerminationMessage" },
      parameters: KWOK_PARAMETERS.map((name) => ({ name, type: "Float", min: 0, max: 1 })),
      search: { strategy: opts.strategy, seed: opts.seed },
      limits: { maxTrials: opts.trials, parallelism: opts.parallelism },
      trialTemplate: {
        primaryContainer: "train",
        job: {
          backoffLimit: 0,
          template: {
            metadata: { annotations: { "pod-complete.stage.kwok.x-k8s.io/delay": opts.podDuration } },
            spec: {
              ...kwokPlacement,
              restartPolicy: "Never",
              containers: [
                {
                  name: "train",
                  image: "kwok.invalid/trainer:1",
                  env: KWOK_PARAMETERS.map((name) => ({
                    name: `PARAM_${name.toUpperCase()}`,
                    value: `\${params.${name}}`,
                  })),
                },
              ],
            },
          },
        },
      },
    },
  };
}
