import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMetricParser, formatMetricLine, METRIC_NAME_PATTERN } from "../../../src/metrics/index.js";

describe("formatMetricLine", () => {
  it("prints the canonical line", () => {
    expect(formatMetricLine(3, { accuracy: 0.91, loss: 0.2 })).toBe(
      "hypertune: step=3 accuracy=0.91 loss=0.2",
    );
    expect(formatMetricLine(undefined, { loss: 1e-7 })).toBe("hypertune: loss=1e-7");
  });

  it("refuses what the parser would reject", () => {
    expect(() => formatMetricLine(1, { loss: Number.NaN })).toThrow(RangeError);
    expect(() => formatMetricLine(1, { loss: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(() => formatMetricLine(-1, { loss: 1 })).toThrow(RangeError);
    expect(() => formatMetricLine(1.5, { loss: 1 })).toThrow(RangeError);
    expect(() => formatMetricLine(1, { "a b": 1 })).toThrow(RangeError);
    expect(() => formatMetricLine(1, { step: 1 })).toThrow(RangeError);
    expect(() => formatMetricLine(1, { "x=1": 1 })).toThrow(RangeError);
  });

  it("round-trips every finite value, name and step through the parser (property)", () => {
    const name = fc.stringMatching(METRIC_NAME_PATTERN).filter((n) => n !== "step" && n.length <= 40);
    const value = fc.double({ noNaN: true, noDefaultInfinity: true });
    const step = fc.option(fc.nat({ max: Number.MAX_SAFE_INTEGER }), { nil: undefined });
    fc.assert(
      fc.property(fc.dictionary(name, value, { minKeys: 1, maxKeys: 8 }), step, (values, s) => {
        const names = Object.keys(values);
        const parsed = createMetricParser({ declared: names }).parseLine(formatMetricLine(s, values));
        expect(parsed.rejected).toEqual([]);
        // -0 prints as "0"; the difference means nothing for a metric.
        const expected = names.map((n) => ({ name: n, value: (values[n] ?? Number.NaN) + 0 }));
        expect(parsed.samples).toEqual(s === undefined ? expected : expected.map((e) => ({ ...e, step: s })));
      }),
      { numRuns: 1000 },
    );
  });
});
