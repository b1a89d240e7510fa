import { describe, expect, test } from "vitest";
import { TuningJobSpec } from "../../../src/api/index.js";
import { specHash } from "../../../src/local/specHash.js";

const base = {
  objective: { metric: "acc", direction: "Maximize" },
  parameters: [{ name: "lr", type: "Float", min: 0.001, max: 0.1 }],
  limits: { maxTrials: 10, parallelism: 2 },
  trialTemplate: { job: { template: { spec: { containers: [{ name: "t", command: ["true"] }] } } } },
};
const hash = (input: unknown) => specHash(TuningJobSpec.parse(input));

describe("spec hash for --resume", () => {
  test("ignores limits and key order", () => {
    const raised = { ...base, limits: { maxTrials: 50, parallelism: 8, trialTimeout: "1h" } };
    const reordered = {
      trialTemplate: base.trialTemplate,
      parameters: base.parameters,
      objective: base.objective,
    };
    expect(hash(raised)).toBe(hash(base));
    expect(hash(reordered)).toBe(hash(base));
  });

  test("changes with the space, the objective or the template", () => {
    expect(hash({ ...base, parameters: [{ name: "lr", type: "Float", min: 0.001, max: 0.2 }] })).not.toBe(
      hash(base),
    );
    expect(hash({ ...base, objective: { metric: "acc", direction: "Minimize" } })).not.toBe(hash(base));
    const otherCommand = { job: { template: { spec: { containers: [{ name: "t", command: ["false"] }] } } } };
    expect(hash({ ...base, trialTemplate: otherCommand })).not.toBe(hash(base));
  });
});
