import { afterEach, describe, expect, it, vi } from "vitest";
import { formatLine, report } from "../../../sdk/typescript/report.js";
import { createMetricParser, formatMetricLine } from "../../../src/metrics/index.js";

describe("sdk/typescript/report.ts", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("writes the canonical line to stdout", () => {
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    report(3, { accuracy: 0.91, loss: 0.2 });
    expect(write).toHaveBeenCalledWith("hypertune: step=3 accuracy=0.91 loss=0.2\n");
  });

  it("prints what formatMetricLine prints, and the parser reads it back", () => {
    const values = { accuracy: 0.91, loss: 1e-7, big: -1.5e300 };
    expect(formatLine(7, values)).toBe(formatMetricLine(7, values));
    const parsed = createMetricParser({ declared: Object.keys(values) }).parseLine(formatLine(7, values));
    expect(parsed.samples.map((s) => s.value)).toEqual([0.91, 1e-7, -1.5e300]);
  });

  it("refuses non-finite values, bad steps and names", () => {
    for (const [step, metrics] of [
      [1, { loss: Number.NaN }],
      [1, { loss: Number.NEGATIVE_INFINITY }],
      [-1, { loss: 1 }],
      [1, { "a=b": 1 }],
      [1, { loss: "0.5" as unknown as number }],
    ] as const) {
      expect(() => report(step, metrics)).toThrow(RangeError);
    }
  });
});
