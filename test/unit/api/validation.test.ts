import { describe, expect, it } from "vitest";
import { parseTuningJob } from "../../../src/api/index.js";
import { jobDocument } from "../../support/jobs.js";

function errorsOf(mutate: (doc: ReturnType<typeof jobDocument>) => void): string[] {
  const doc = jobDocument();
  mutate(doc);
  const result = parseTuningJob(doc);
  return result.ok ? [] : result.errors;
}

describe("parseTuningJob", () => {
  it("accepts a valid job and applies defaults in one place", () => {
    const result = parseTuningJob(jobDocument());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const spec = result.value.spec;
    expect(spec.metrics.collector).toBe("Stdout");
    expect(spec.limits.maxFailedTrials).toBe(3);
    expect(spec.earlyStopping.rule).toBe("None");
    expect(spec.trialTemplate.gpuResource).toBe("nvidia.com/gpu");
    expect(spec.parameters[1]).toMatchObject({ type: "Int", step: 1, scale: "Linear" });
  });

  it.each([
    [
      "max below min",
      (d: ReturnType<typeof jobDocument>) =>
        Object.assign(d.spec.parameters[0] ?? {}, { min: 0.3, max: 0.1 }),
      "spec.parameters[0]: max (0.1) must be greater than min (0.3)",
    ],
    [
      "log scale through zero",
      (d: ReturnType<typeof jobDocument>) => Object.assign(d.spec.parameters[0] ?? {}, { min: 0 }),
      "spec.parameters[0]: Log scale needs min > 0 (got 0)",
    ],
    [
      "unknown parameter in a placeholder",
      (d: ReturnType<typeof jobDocument>) =>
        Object.assign(d.spec.trialTemplate.job.template.spec.containers[0] ?? {}, {
          args: ["--x=${params.nope}"],
        }),
      "spec.trialTemplate.job: ${params.nope} names an unknown parameter",
    ],
    [
      "when naming a missing parameter",
      (d: ReturnType<typeof jobDocument>) =>
        Object.assign(d.spec.parameters[3] ?? {}, { when: { solver: "sgd" } }),
      'spec.parameters[3].when: names parameter "solver", which is not declared before "momentum"',
    ],
    [
      "when naming a missing value",
      (d: ReturnType<typeof jobDocument>) =>
        Object.assign(d.spec.parameters[3] ?? {}, { when: { optimizer: "rmsprop" } }),
      'spec.parameters[3].when: "rmsprop" is not a value of "optimizer" (sgd, adam)',
    ],
    [
      "grid over a continuous parameter",
      (d: ReturnType<typeof jobDocument>) => Object.assign(d.spec.search, { strategy: "Grid" }),
      'spec.parameters[0]: Grid needs a step for Float parameter "lr"',
    ],
    [
      "parallelism above maxTrials",
      (d: ReturnType<typeof jobDocument>) => Object.assign(d.spec.limits, { parallelism: 11 }),
      "spec.limits: parallelism (11) must not exceed maxTrials (10)",
    ],
    [
      "a primary container that does not exist",
      (d: ReturnType<typeof jobDocument>) =>
        Object.assign(d.spec.trialTemplate, { primaryContainer: "trainer" }),
      'spec.trialTemplate.job: primaryContainer "trainer" is not among the template\'s containers (train)',
    ],
    [
      "a misspelt field",
      (d: ReturnType<typeof jobDocument>) => Object.assign(d.spec.limits, { maxTrial: 5 }),
      'spec.limits: Unrecognized key: "maxTrial"',
    ],
    [
      "a duration without a unit",
      (d: ReturnType<typeof jobDocument>) => Object.assign(d.spec.limits, { trialTimeout: "90" }),
      "spec.limits.trialTimeout: must be a duration such as 90s, 30m, 2h or 1h30m",
    ],
    [
      "a regex without a capture group",
      (d: ReturnType<typeof jobDocument>) =>
        Object.assign(d.spec, { metrics: { definitions: [{ name: "accuracy", regex: "acc=[0-9.]+" }] } }),
      "spec.metrics.definitions[0].regex: must have exactly one capture group (has 0)",
    ],
    [
      "both metric and metrics",
      (d: ReturnType<typeof jobDocument>) =>
        Object.assign(d.spec.objective, {
          metrics: [
            { name: "a", direction: "Maximize" },
            { name: "b", direction: "Minimize" },
          ],
        }),
      "spec.objective: set exactly one of metric and metrics",
    ],
    [
      "a job name that cannot name Kubernetes objects",
      (d: ReturnType<typeof jobDocument>) => Object.assign(d.metadata, { name: "My_Job" }),
      "metadata.name: must be a lowercase DNS label (a-z, 0-9, '-')",
    ],
    [
      "a checkpoint volume the pod template does not declare",
      (d: ReturnType<typeof jobDocument>) =>
        Object.assign(d.spec.trialTemplate, { checkpoint: { volume: "ckpt" } }),
      'spec.trialTemplate.checkpoint.volume: "ckpt" is not a volume of job.template.spec.volumes (it has none)',
    ],
    [
      "more preemption retries than attempt names allow",
      (d: ReturnType<typeof jobDocument>) => Object.assign(d.spec.limits, { maxPreemptionRetries: 21 }),
      "spec.limits.maxPreemptionRetries: Too big: expected number to be <=20",
    ],
  ])("rejects %s with the field path and the rule", (_what, mutate, expected) => {
    expect(errorsOf(mutate)).toContain(expected);
  });

  it("requires a primary container name when the template has several containers", () => {
    const errors = errorsOf((d) => d.spec.trialTemplate.job.template.spec.containers.push({ name: "side" }));
    expect(errors).toEqual([
      "spec.trialTemplate.job: primaryContainer is required when the template has 2 containers",
    ]);
  });
});
