import { describe, expect, it } from "vitest";
import { renderTrialJob } from "../../../src/operator/render-job.js";
import { specWith } from "../../support/simulate.js";

const trial = {
  name: "demo-3",
  uid: "uid-3",
  index: 3,
  parameters: { lr: 0.01, layers: 2, optimizer: "adam" },
};

function render(overrides: Record<string, unknown> = {}) {
  return renderTrialJob({
    jobName: "demo",
    namespace: "team-a",
    spec: specWith(overrides),
    trial,
    collectorImage: "ghcr.io/hypertune/hypertune:test",
  });
}

describe("renderTrialJob", () => {
  it("names, labels and owns the Job for its Trial", () => {
    const job = render();
    expect(job.metadata).toMatchObject({
      name: "demo-3",
      namespace: "team-a",
      labels: { "hypertune.dev/job": "demo", "hypertune.dev/trial": "demo-3" },
      ownerReferences: [
        { kind: "Trial", name: "demo-3", uid: "uid-3", controller: true, blockOwnerDeletion: true },
      ],
    });
    expect(job.spec?.template.metadata?.labels).toMatchObject({ "hypertune.dev/trial": "demo-3" });
    expect(job.spec?.backoffLimit).toBe(0);
    expect(job.spec?.template.spec?.restartPolicy).toBe("Never");
  });

  it("substitutes parameters without a shell and passes them as environment variables", () => {
    const container = render().spec?.template.spec?.containers[0];
    expect(container?.command).toEqual(["python", "train.py", "--lr=0.01"]);
    const env = Object.fromEntries((container?.env ?? []).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      HYPERTUNE_PARAM_LR: "0.01",
      HYPERTUNE_PARAM_OPTIMIZER: "adam",
      HYPERTUNE_TRIAL: "demo-3",
      HYPERTUNE_TRIAL_INDEX: "3",
    });
    expect(JSON.parse(env.HYPERTUNE_PARAMS ?? "")).toEqual(trial.parameters);
  });

  it("requests GPUs as limits on the primary container and sets the trial timeout", () => {
    const base = specWith().trialTemplate;
    const job = render({
      trialTemplate: { ...base, gpus: 2 },
      limits: { maxTrials: 4, trialTimeout: "1h30m" },
    });
    expect(job.spec?.template.spec?.containers[0]?.resources?.limits).toEqual({ "nvidia.com/gpu": "2" });
    expect(job.spec?.activeDeadlineSeconds).toBe(5400);
  });

  it("adds a native collector sidecar and a shared volume for the File collector", () => {
    const job = render({ metrics: { collector: "File", filePath: "/metrics/out.log" } });
    const pod = job.spec?.template.spec;
    expect(pod?.initContainers).toEqual([
      expect.objectContaining({
        name: "hypertune-collector",
        restartPolicy: "Always",
        args: ["collect", "--file", "/metrics/out.log"],
      }),
    ]);
    expect(pod?.volumes).toContainEqual({ name: "hypertune-metrics", emptyDir: {} });
    expect(pod?.containers[0]?.volumeMounts).toContainEqual({
      name: "hypertune-metrics",
      mountPath: "/metrics",
    });
  });

  it("renders the same Job twice from the same input", () => {
    expect(render()).toEqual(render());
  });
});
