import { describe, expect, it } from "vitest";
import { parseTuningJobSpec, type TuningJobSpec } from "../../../src/api/index.js";
import {
  concludeTrial,
  countTrials,
  failedCount,
  mayRetryPreempted,
  mergeAttemptHistory,
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
