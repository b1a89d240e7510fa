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

  it("fails the Job at once on a disrupted pod (a pod failure policy rule first), so a preemption is not the training's failure", () => {
    const base = specWith().trialTemplate;
    const own = { action: "Ignore", onExitCodes: { operator: "In", values: [42] } };
    const job = render({
      trialTemplate: { ...base, job: { ...base.job, podFailurePolicy: { rules: [own] } } },
    });
    expect(job.spec?.podFailurePolicy?.rules).toEqual([
      { action: "FailJob", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] },
      own,
    ]);
    // Pod failure policies require restartPolicy Never: with OnFailure there is none.
    const template = base.job.template as { spec: Record<string, unknown> };
    const onFailure = render({
      trialTemplate: {
        ...base,
        job: {
          ...base.job,
          template: { ...template, spec: { ...template.spec, restartPolicy: "OnFailure" } },
        },
      },
    });
    expect(onFailure.spec?.podFailurePolicy).toBeUndefined();
  });

  it("a later attempt gets a Job of its own, its number in HYPERTUNE_ATTEMPT, and the trial's checkpoint sub-directory", () => {
    const base = specWith().trialTemplate;
    const template = base.job.template as { spec: Record<string, unknown> };
    const volumes = [{ name: "ckpt", persistentVolumeClaim: { claimName: "checkpoints" } }];
    const job = renderTrialJob({
      jobName: "demo",
      namespace: "team-a",
      spec: specWith({
        trialTemplate: {
          ...base,
          checkpoint: { volume: "ckpt" },
          job: { ...base.job, template: { ...template, spec: { ...template.spec, volumes } } },
        },
      }),
      trial: { ...trial, attempt: 3 },
      collectorImage: "hypertune:test",
    });
    expect(job.metadata?.name).toBe("demo-3-a3");
    expect(job.spec?.template.metadata?.labels).toMatchObject({ "hypertune.dev/attempt": "3" });
    const container = job.spec?.template.spec?.containers[0];
    const env = Object.fromEntries((container?.env ?? []).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({ HYPERTUNE_ATTEMPT: "3", HYPERTUNE_CHECKPOINT_DIR: "/hypertune/checkpoint" });
    expect(container?.volumeMounts).toContainEqual({
      name: "ckpt",
      mountPath: "/hypertune/checkpoint",
      subPath: "demo-3",
    });
    // Without a checkpoint volume there is no directory to name.
    expect(render().spec?.template.spec?.containers[0]?.env).not.toContainEqual(
      expect.objectContaining({ name: "HYPERTUNE_CHECKPOINT_DIR" }),
    );
  });

  it("renders the same Job twice from the same input", () => {
    expect(render()).toEqual(render());
  });
});
