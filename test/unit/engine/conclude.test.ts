import { describe, expect, it } from "vitest";
import { parseTuningJobSpec, type TuningJobSpec } from "../../../src/api/index.js";
import { concludeTrial } from "../../../src/engine/index.js";
import { accumulatorForSpec, type MetricsSnapshot } from "../../../src/metrics/accumulator.js";
import { jobDocument } from "../../support/jobs.js";

function spec(extra: Record<string, unknown> = {}): TuningJobSpec {
  const doc = jobDocument();
  const parsed = parseTuningJobSpec({ ...doc.spec, ...extra });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed));
  return parsed.value;
}

function collected(s: TuningJobSpec, lines: string[], at?: (i: number) => number): MetricsSnapshot {
  const acc = accumulatorForSpec(s);
  for (const [i, line] of lines.entries()) acc.addLine(line, false, at?.(i));
  return acc.snapshot();
}

describe("concludeTrial: one decision for both backends", () => {
  const s = spec();
  const curve = ["step=1 accuracy=0.5", "step=2 accuracy=0.6", "step=3 accuracy=0.9"];

  it("a trial that exited on its own with its objective succeeded", () => {
    const c = concludeTrial(s, { ending: { kind: "Exited" }, collected: collected(s, curve) });
    expect(c).toMatchObject({ phase: "Succeeded", reason: "Completed", metrics: { accuracy: 0.9 } });
  });

  it("a stop request that crossed a trial exiting on its own changes nothing", () => {
    const c = concludeTrial(s, {
      ending: { kind: "Exited" },
      stop: { reason: "EarlyStopped", message: "too slow", step: 3 },
      collected: collected(s, curve),
    });
    expect(c.phase).toBe("Succeeded");
  });

  it("without the objective it is MetricsUnavailable, saying why the backend could not read it", () => {
    const c = concludeTrial(s, {
      ending: { kind: "Exited" },
      collected: collected(s, []),
      unavailable: "container train has no termination message",
    });
    expect(c).toMatchObject({ phase: "MetricsUnavailable", reason: "ObjectiveNotReported" });
    expect(c.message).toBe(
      "the trial ended without reporting accuracy (container train has no termination message)",
    );
  });

  it("a stopped trial keeps only what it reported up to the step the stop was decided at", () => {
    const c = concludeTrial(s, {
      ending: { kind: "Stopped" },
      stop: { reason: "EarlyStopped", message: "worse than the median", step: 2 },
      collected: collected(s, curve),
    });
    expect(c).toMatchObject({
      phase: "EarlyStopped",
      reason: "EarlyStopped",
      message: "worse than the median",
    });
    expect(c.history.map((r) => r.step)).toEqual([1, 2]);
    expect(c.metrics).toEqual({ accuracy: 0.6 });
  });

  it("steps without a number count as the objective's reports, as early stopping counts them", () => {
    const c = concludeTrial(s, {
      ending: { kind: "Stopped" },
      stop: { reason: "EarlyStopped", message: "m", step: 1 },
      collected: collected(s, ["accuracy=0.1", "accuracy=0.2"]),
    });
    expect(c.metrics).toEqual({ accuracy: 0.1 });
  });

  it("time-outs, start failures and failures are Failed with their own reasons", () => {
    const t = spec({ limits: { maxTrials: 3, trialTimeout: "30m" } });
    const none = collected(t, []);
    expect(concludeTrial(t, { ending: { kind: "TimedOut" }, collected: none })).toMatchObject({
      phase: "Failed",
      reason: "Timeout",
      message: "stopped after trialTimeout (30m)",
    });
    expect(
      concludeTrial(t, {
        ending: { kind: "CouldNotStart", reason: "ErrImageNeverPull", detail: "no image" },
        collected: none,
      }),
    ).toMatchObject({ phase: "Failed", reason: "ErrImageNeverPull", message: "no image" });
    expect(
      concludeTrial(t, { ending: { kind: "Failed", detail: "exited with code 2" }, collected: none }),
    ).toMatchObject({ phase: "Failed", reason: "Error", message: "exited with code 2" });
  });

  it("rejected values are named on every phase, one note per kind", () => {
    const c = concludeTrial(s, {
      ending: { kind: "Exited" },
      collected: collected(s, ["accuracy=nan", "accuracy=nan", "accuracy=0.7"]),
    });
    expect(c.phase).toBe("Succeeded");
    expect(c.message).toMatch(
      /^the trial finished; 2 metric values rejected: accuracy: .+ \(e\.g\. "nan"\)$/,
    );
  });

  it("says so when every report arrived at the end of a long run (block-buffered output)", () => {
    const stopping = spec({ earlyStopping: { rule: "Median" } });
    const end = 60_000;
    const late = collected(stopping, curve, (i) => end - 100 + i);
    const c = concludeTrial(stopping, {
      ending: { kind: "Exited" },
      collected: late,
      ranFrom: 0,
      ranUntil: end,
    });
    expect(c.message).toMatch(
      /all 3 reports arrived in the last 0\.1s of a 60s run: the output looks block-buffered/,
    );
    expect(c.message).toMatch(/early stopping could not act on them/);
    // Reports spread over the run: nothing to say.
    const spread = collected(stopping, curve, (i) => (i + 1) * 15_000);
    const quiet = concludeTrial(stopping, {
      ending: { kind: "Exited" },
      collected: spread,
      ranFrom: 0,
      ranUntil: end,
    });
    expect(quiet.message).toBe("the trial finished");
    // A termination message holds final values only, by design: nothing to say.
    const final = spec({ metrics: { collector: "TerminationMessage" } });
    const message = collected(final, curve, (i) => end - 100 + i);
    expect(
      concludeTrial(final, { ending: { kind: "Exited" }, collected: message, ranFrom: 0, ranUntil: end })
        .message,
    ).toBe("the trial finished");
    // A short run cannot tell.
    const short = collected(stopping, curve, (i) => 4_900 + i);
    expect(
      concludeTrial(stopping, { ending: { kind: "Exited" }, collected: short, ranFrom: 0, ranUntil: 5_000 })
        .message,
    ).toBe("the trial finished");
  });
});
