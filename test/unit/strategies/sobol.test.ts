import { describe, expect, it } from "vitest";
import type { Parameter } from "../../../src/api/index.js";
import { sobolStrategy } from "../../../src/strategies/index.js";
import { makeRequest, range } from "./fixtures.js";

describe("Sobol strategy", () => {
  it("covers each parameter's range evenly: 2^k trials hit each of 2^k slices once", () => {
    const parameters: Parameter[] = [
      { name: "a", type: "Float", min: 0, max: 1, scale: "Linear" },
      { name: "b", type: "Float", min: -5, max: 5, scale: "Linear" },
      { name: "c", type: "Int", min: 0, max: 63, scale: "Linear", step: 1 },
    ];
    const suggestions = sobolStrategy.suggest(makeRequest(parameters, range(64), 2024));
    const slices = (values: number[], min: number, max: number) =>
      new Set(values.map((v) => Math.floor(((v - min) / (max - min)) * 64)));
    expect(
      slices(
        suggestions.map((s) => s?.a as number),
        0,
        1,
      ).size,
    ).toBe(64);
    expect(
      slices(
        suggestions.map((s) => s?.b as number),
        -5,
        5,
      ).size,
    ).toBe(64);
    expect(new Set(suggestions.map((s) => s?.c)).size).toBe(64);
  });

  it("has no trouble with 64 parameters, the most a spec allows", () => {
    const parameters: Parameter[] = range(64).map((i) => ({
      name: `p${i}`,
      type: "Float",
      min: 0,
      max: 1,
      scale: "Linear",
    }));
    const suggestions = sobolStrategy.suggest(makeRequest(parameters, range(8), 1));
    for (const s of suggestions) expect(Object.keys(s ?? {})).toHaveLength(64);
  });
});
