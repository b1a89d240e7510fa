import { describe, expect, test } from "vitest";
import { TuningJobSpec } from "../../../src/api/index.js";
import { LocalUsageError } from "../../../src/local/errors.js";
import { trialLaunch } from "../../../src/local/trialLaunch.js";

function spec(container: Record<string, unknown>) {
  return TuningJobSpec.parse({
    objective: { metric: "acc", direction: "Maximize" },
    parameters: [{ name: "lr", type: "Float", min: 0.001, max: 0.1 }],
    trialTemplate: { job: { template: { spec: { containers: [{ name: "train", ...container }] } } } },
  });
}
const trial = { jobName: "demo", index: 3, parameters: { lr: 0.01 } };

describe("trialLaunch", () => {
  test("command + args substituted, cwd from workingDir relative to the YAML folder, env layered", () => {
    const launch = trialLaunch(
      spec({
        command: ["python", "train.py"],
        args: ["--lr=${params.lr}", "--name=${trial.name}"],
        workingDir: "runs/${trial.index}",
        env: [
          { name: "LR", value: "${params.lr}" },
          { name: "SECRET", valueFrom: { secretKeyRef: {} } },
        ],
      }),
      trial,
      "/jobs",
      { managed: true, devices: [2] },
    );
    expect(launch.command).toBe("python");
    expect(launch.args).toEqual(["train.py", "--lr=0.01", "--name=demo-3"]);
    expect(launch.cwd).toBe("/jobs/runs/3");
    expect(launch.env).toMatchObject({
      LR: "0.01",
      HYPERTUNE_TRIAL: "demo-3",
      HYPERTUNE_TRIAL_INDEX: "3",
      HYPERTUNE_PARAM_LR: "0.01",
      CUDA_VISIBLE_DEVICES: "2",
    });
    expect(launch.env.SECRET).toBeUndefined();
  });

  test("without --gpus, CUDA_VISIBLE_DEVICES is inherited untouched", () => {
    const launch = trialLaunch(spec({ command: ["true"] }), trial, "/jobs", { managed: false, devices: [] });
    expect(launch.env.CUDA_VISIBLE_DEVICES).toBe(process.env.CUDA_VISIBLE_DEVICES);
  });

  test("only args (the image's entrypoint) is a clear error locally", () => {
    expect(() =>
      trialLaunch(spec({ args: ["--lr=${params.lr}"] }), trial, "/jobs", { managed: false, devices: [] }),
    ).toThrow(LocalUsageError);
    expect(() => trialLaunch(spec({ args: ["x"] }), trial, "/jobs", { managed: false, devices: [] })).toThrow(
      /command/,
    );
  });
});
