import { describe, expect, it } from "vitest";
import { parseTuningJobSpec, type TuningJobSpec } from "../../../src/api/index.js";
import { gpuSecondsUsed } from "../../../src/engine/gpuTime.js";
import {
  concludeTrial,
  countTrials,
  failedCount,
  mayRetryPreempted,
  mergeAttemptHistory,
  plan,
} from "../../../src/engine/index.js";
import { emptySnapshot } from "../../../src/metrics/accumulator.js";
import { jobDocument } from "../../support/jobs.js";

function spec(limits: Record<string, unknown> = {}): TuningJobSpec {
  const doc = jobDocument();
  const parsed = parseTuningJobSpec({ ...doc.spec, limits: { ...doc.spec.limits, ...limits } });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed));
  return parsed.value;
}

const r = (step: number | undefined, v: number) =>
  step === undefined ? { values: { accuracy: v } } : { step, values: { accuracy: v } };

describe("attempts of a preempted trial", () => {
  it("retries while attempts are within maxPreemptionRetries (default 3), then no more", () => {
    const s = spec();
    expect(s.limits.maxPreemptionRetries).toBe(3);
    expect([1, 2, 3, 4].map((a) => mayRetryPreempted(s, a))).toEqual([true, true, true, false]);
    expect(mayRetryPreempted(spec({ maxPreemptionRetries: 0 }), 1)).toBe(false);
  });

  it("a resumed attempt's steps replace the earlier attempt's from its first step on", () => {
    const earlier = [r(1, 0.1), r(2, 0.2), r(3, 0.3)];
    expect(mergeAttemptHistory(earlier, [r(3, 0.35), r(4, 0.4)])).toEqual([
      r(1, 0.1),
      r(2, 0.2),
      r(3, 0.35),
      r(4, 0.4),
    ]);
    // Restarted from scratch with steps: nothing earlier survives.
    expect(mergeAttemptHistory(earlier, [r(1, 0.05)])).toEqual([r(1, 0.05)]);
  });

  it("before the new attempt reports, the earlier reports stand; step-less reports start over", () => {
    const earlier = [r(1, 0.1), r(2, 0.2)];
    expect(mergeAttemptHistory(earlier, [])).toEqual(earlier);
    expect(mergeAttemptHistory(earlier, [r(undefined, 0.9)])).toEqual([r(undefined, 0.9)]);
  });

  it("a trial preempted too often ends Preempted, which counts neither as failed nor as a result", () => {
    const s = spec({ maxPreemptionRetries: 2 });
    const c = concludeTrial(s, {
      ending: { kind: "Preempted", reason: "EvictionByEvictionAPI", detail: "evicted" },
      collected: { ...emptySnapshot(), history: [r(1, 0.5)], metrics: { accuracy: 0.5 } },
    });
    expect(c).toMatchObject({ phase: "Preempted", reason: "EvictionByEvictionAPI" });
    expect(c.message).toContain("maxPreemptionRetries (2)");
    const counts = countTrials([
      { index: 0, parameters: {}, phase: "Preempted", history: [], createdAt: 0 },
      { index: 1, parameters: {}, phase: "Failed", history: [], createdAt: 0 },
    ]);
    expect(counts).toMatchObject({ preempted: 1, failed: 1 });
    expect(failedCount(counts)).toBe(1);
  });
});

describe("limits.maxGpuHours", () => {
  const trial = (index: number, phase: "Running" | "Succeeded", startedAt?: number, finishedAt?: number) => ({
    index,
    parameters: { lr: 0.01, layers: 2, optimizer: "adam" },
    phase,
    history: [],
    createdAt: 0,
    ...(startedAt !== undefined && { startedAt }),
    ...(finishedAt !== undefined && { finishedAt }),
  });

  it("counts GPUs × wall time from each trial's first start, running ones up to now, retired ones too", () => {
    const s = spec();
    const gpus = { ...s, trialTemplate: { ...s.trialTemplate, gpus: 2 } };
    const trials = [trial(0, "Succeeded", 0, 1_800_000), trial(1, "Running", 1_800_000), trial(2, "Running")];
    // 2 GPUs × (30 min + 15 min) + 600 s retired.
    expect(gpuSecondsUsed(gpus, trials, 2_700_000, 600)).toBe(2 * 2_700 + 600);
    expect(gpuSecondsUsed(s, trials, 2_700_000)).toBe(0);
  });

  it("completes the job once the budget is used, stopping the trials still running", () => {
    const s = spec({ maxGpuHours: 1.5, maxTrials: 10 });
    const gpus = { ...s, trialTemplate: { ...s.trialTemplate, gpus: 2 } };
    const trials = [trial(0, "Succeeded", 0, 1_800_000), trial(1, "Running", 1_800_000)];
    trials[0] = { ...trials[0], metrics: { accuracy: 0.5 } } as (typeof trials)[number];
    expect(plan(gpus, trials, 2_600_000).completion).toBeUndefined();
    const done = plan(gpus, trials, 2_700_000);
    expect(done.completion).toMatchObject({ reason: "MaxGpuHoursReached", succeeded: true });
    expect(done.completion?.message).toContain("1.50 GPU-hours");
    expect(done.stop).toEqual([expect.objectContaining({ index: 1, reason: "JobFinished" })]);
  });
});
