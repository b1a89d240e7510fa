import { describe, expect, it } from "vitest";
import { reduceSamples } from "../../../src/metrics/index.js";

const samples = [
  { name: "loss", value: 3, step: 1 },
  { name: "accuracy", value: 0.5, step: 1 },
  { name: "loss", value: 1, step: 2 },
  { name: "loss", value: 2, step: 3 },
];

describe("reduceSamples", () => {
  it("reduces by Min, Max and Last (arrival order)", () => {
    expect(reduceSamples(samples, "loss", "Min")).toBe(1);
    expect(reduceSamples(samples, "loss", "Max")).toBe(3);
    expect(reduceSamples(samples, "loss", "Last")).toBe(2);
    expect(reduceSamples(samples, "accuracy", "Last")).toBe(0.5);
  });

  it("is undefined for a metric never reported", () => {
    expect(reduceSamples(samples, "f1", "Max")).toBeUndefined();
    expect(reduceSamples([], "loss", "Min")).toBeUndefined();
  });

  it("ignores non-finite samples that did not come from the parser", () => {
    const odd = [...samples, { name: "loss", value: Number.NaN }, { name: "loss", value: -Infinity }];
    expect(reduceSamples(odd, "loss", "Min")).toBe(1);
    expect(reduceSamples(odd, "loss", "Last")).toBe(2);
  });
});
