import { describe, expect, it } from "vitest";
import { createReportAccumulator, REJECTION_NOTES_KEPT } from "../../../src/metrics/accumulator.js";
import { createMetricParser } from "../../../src/metrics/index.js";
import type { MetricReduction } from "../../../src/metrics/reduce.js";

const parser = createMetricParser({ declared: ["accuracy", "loss"] });
const reductions: Record<string, MetricReduction> = { accuracy: "Max", loss: "Min" };
const accumulator = (historyLimit?: number) =>
  createReportAccumulator({
    parser,
    reductionOf: (name) => reductions[name] ?? "Last",
    ...(historyLimit !== undefined && { historyLimit }),
  });

describe("report accumulator", () => {
  it("makes one report of the samples of one line, with its step", () => {
    const acc = accumulator();
    acc.addLine("hypertune: step=1 accuracy=0.5 loss=2");
    acc.addLine('{"step": 2, "accuracy": 0.6}');
    acc.addLine("epoch done, nothing to see");
    acc.addLine("loss=1.5");
    expect(acc.snapshot().history).toEqual([
      { step: 1, values: { accuracy: 0.5, loss: 2 } },
      { step: 2, values: { accuracy: 0.6 } },
      { values: { loss: 1.5 } },
    ]);
    expect(acc.reportCount).toBe(3);
    expect(acc.snapshot().metrics).toEqual({ accuracy: 0.6, loss: 1.5 });
    expect(acc.rejectedCount).toBe(0);
  });

  it("reduces over every report, not only the kept history", () => {
    const acc = accumulator(10);
    // The best accuracy and the lowest loss come early and are thinned out of the history.
    acc.addLine("step=0 accuracy=0.99 loss=0.01");
    for (let i = 0; i < 50; i++) acc.addLine(`step=${i + 1} accuracy=0.5 loss=1`);
    expect(acc.snapshot().metrics).toEqual({ accuracy: 0.99, loss: 0.01 });
    expect(acc.reportCount).toBe(51);
  });

  it("thins a full history evenly, so it spans the whole run and keeps the newest", () => {
    const acc = accumulator(10);
    for (let step = 1; step <= 50; step++) acc.addLine(`step=${step} accuracy=0.5`);
    const steps = acc.snapshot().history.map((r) => r.step);
    expect(steps.length).toBeLessThanOrEqual(10);
    expect(steps[0]).toBe(1);
    expect(steps.at(-1)).toBe(50);
    // Evenly spread: the early half of the run is still there.
    expect(steps.filter((s) => (s ?? 0) <= 25).length).toBeGreaterThanOrEqual(3);
    // The same output keeps the same steps (trials stay comparable step by step).
    const again = accumulator(10);
    for (let step = 1; step <= 50; step++) again.addLine(`step=${step} accuracy=0.9`);
    expect(again.snapshot().history.map((r) => r.step)).toEqual(steps);
  });

  it("records when the first and the last report arrived, when told", () => {
    const acc = accumulator();
    acc.addLine("nothing", false, 5);
    acc.addLine("accuracy=0.1", false, 10);
    acc.addLine("accuracy=0.2", false, 30);
    expect(acc.snapshot()).toMatchObject({ firstReportAt: 10, lastReportAt: 30 });
    expect(accumulator().snapshot().firstReportAt).toBeUndefined();
  });

  it("Last follows arrival order for metrics that are not objectives", () => {
    const acc = createReportAccumulator({
      parser: createMetricParser({ declared: ["lr"] }),
      reductionOf: () => "Last",
    });
    acc.addLine("step=5 lr=0.1");
    acc.addLine("step=2 lr=0.3");
    expect(acc.snapshot().metrics).toEqual({ lr: 0.3 });
  });

  it("counts rejections and keeps one note per kind, with its first example", () => {
    const acc = accumulator();
    acc.addLine("accuracy=nan");
    acc.addLine("accuracy=nan");
    for (let i = 0; i < 20; i++) acc.addLine(`loss=bad${i}`);
    acc.addLine("cut here", true);
    expect(acc.rejectedCount).toBe(23);
    const notes = acc.snapshot().lastRejections;
    expect(notes).toHaveLength(3);
    expect(notes.at(-1)).toMatch(/overlong/);
    expect(notes.at(-2)).toBe('loss: not a number (e.g. "bad0")');
    expect(acc.reportCount).toBe(0);
  });

  it("keeps only the most recent kinds of rejection", () => {
    const acc = createReportAccumulator({
      parser: createMetricParser({ declared: Array.from({ length: 10 }, (_, i) => `m${i}`) }),
      reductionOf: () => "Last",
    });
    for (let i = 0; i < 10; i++) acc.addLine(`m${i}=junk`);
    const notes = acc.snapshot().lastRejections;
    expect(notes).toHaveLength(REJECTION_NOTES_KEPT);
    expect(notes.at(-1)).toMatch(/^m9: /);
  });

  it("a cut line is never read as metrics", () => {
    const acc = accumulator();
    acc.addLine("accuracy=0.9", true);
    expect(acc.reportCount).toBe(0);
    expect(acc.snapshot().metrics).toEqual({});
  });

  it("snapshots are copies", () => {
    const acc = accumulator();
    acc.addLine("accuracy=0.5");
    const snap = acc.snapshot();
    const first = snap.history[0];
    if (first) first.values.accuracy = 1;
    expect(acc.snapshot().history).toEqual([{ values: { accuracy: 0.5 } }]);
    expect(snap).toMatchObject({ reportCount: 1, rejectedCount: 0, metrics: { accuracy: 0.5 } });
  });

  it("stays bounded through a million lines of junk and reports", () => {
    const acc = accumulator(100);
    const started = performance.now();
    for (let i = 0; i < 1_000_000; i++) {
      if (i % 4 === 0) acc.addLine(`step=${i} accuracy=${(i % 1000) / 1000} loss=${i}`);
      else if (i % 4 === 1) acc.addLine(`accuracy=junk${i} ${"x".repeat(i % 200)}`);
      else acc.addLine(`\u0000garbage ${i} =====`);
    }
    const seconds = (performance.now() - started) / 1000;
    expect(acc.snapshot().history.length).toBeLessThanOrEqual(100);
    expect(acc.reportCount).toBe(250_000);
    expect(acc.rejectedCount).toBe(250_000);
    expect(acc.snapshot().lastRejections.length).toBeLessThanOrEqual(REJECTION_NOTES_KEPT);
    expect(acc.snapshot().metrics).toEqual({ accuracy: 0.996, loss: 0 });
    expect(seconds).toBeLessThan(30);
  });

  it("refuses a history limit below 2", () => {
    expect(() => accumulator(1)).toThrow(RangeError);
  });
});
