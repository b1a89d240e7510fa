/** Small valid TuningJob documents for tests; each call returns a fresh copy to mutate. */
export function jobDocument(): {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown> & {
    parameters: Record<string, unknown>[];
    limits: Record<string, unknown>;
    search: Record<string, unknown>;
    objective: Record<string, unknown>;
    trialTemplate: Record<string, unknown> & {
      job: { template: { spec: { restartPolicy?: string; containers: Record<string, unknown>[] } } };
    };
  };
} {
  return {
    apiVersion: "hypertune.dev/v1alpha1",
    kind: "TuningJob",
    metadata: { name: "demo" },
    spec: {
      objective: { metric: "accuracy", direction: "Maximize" },
      parameters: [
        { name: "lr", type: "Float", min: 0.001, max: 0.1, scale: "Log" },
        { name: "layers", type: "Int", min: 1, max: 4 },
        { name: "optimizer", type: "Categorical", values: ["sgd", "adam"] },
        { name: "momentum", type: "Float", min: 0, max: 0.99, when: { optimizer: "sgd" } },
      ],
      search: { strategy: "Random", seed: 7 },
      limits: { maxTrials: 10, parallelism: 2 },
      trialTemplate: {
        job: {
          template: {
            spec: {
              restartPolicy: "Never",
              containers: [
                { name: "train", image: "python:3.12", command: ["python", "train.py", "--lr=${params.lr}"] },
              ],
            },
          },
        },
      },
    },
  };
}
