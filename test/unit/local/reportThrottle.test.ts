import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { ReportThrottle } from "../../../src/local/reportThrottle.js";

describe("which reports a running trial writes to trials.jsonl", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test("the first ones all, then at most one a second, the latest of a burst written after it", () => {
    const writes: number[] = [];
    let latest = 0;
    const throttle = new ReportThrottle(() => writes.push(latest), { inFull: 3, everyMs: 1_000 });
    for (latest = 1; latest <= 10_000; latest++) throttle.report();
    latest = 10_000;
    expect(writes).toEqual([1, 2, 3]);
    vi.advanceTimersByTime(1_000);
    expect(writes).toEqual([1, 2, 3, 10_000]);
    // Quiet, then one report: written at once.
    vi.advanceTimersByTime(5_000);
    latest = 10_001;
    throttle.report();
    expect(writes).toEqual([1, 2, 3, 10_000, 10_001]);
  });

  test("closing drops a pending write: the finished event carries the history", () => {
    const writes: string[] = [];
    const throttle = new ReportThrottle(() => writes.push("report"), { inFull: 1, everyMs: 1_000 });
    throttle.report();
    throttle.report();
    throttle.close();
    vi.advanceTimersByTime(10_000);
    expect(writes).toEqual(["report"]);
  });
});
