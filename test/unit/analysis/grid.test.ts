import { describe, expect, it } from "vitest";
import { MAX_GRID_POINTS, parameterGrid } from "../../../src/analysis/grid.js";
import type { Parameter } from "../../../src/api/index.js";

const points = (p: Parameter, values: unknown[]): number[] =>
  values.map((v) => parameterGrid(p).pointOf(v as never));

describe("parameterGrid", () => {
  it("bins a Log Float evenly in log space", () => {
    const lr: Parameter = { name: "lr", type: "Float", min: 1e-4, max: 1, scale: "Log" };
    expect(parameterGrid(lr).size).toBe(MAX_GRID_POINTS);
    // 1e-2 is halfway in log space (point 24.5, halfway goes down); linearly it would be point 0.
    expect(points(lr, [1e-4, 1e-2, 1])).toEqual([0, 24, 49]);
  });

  it("bins a ReverseLog Float evenly in log(1 - value)", () => {
    const momentum: Parameter = { name: "m", type: "Float", min: 0.9, max: 0.9999, scale: "ReverseLog" };
    // 1 − value: 1e-1 → 0, 1e-2 → 16.3 → 16, 1e-3 → 32.7 → 33, 1e-4 → 49.
    expect(points(momentum, [0.9, 0.99, 0.999, 0.9999])).toEqual([0, 16, 33, 49]);
  });

  it("gives a Log Int about one point per doubling", () => {
    const batch: Parameter = { name: "b", type: "Int", min: 1, max: 1024, scale: "Log", step: 1 };
    expect(parameterGrid(batch).size).toBe(11);
    expect(points(batch, [1, 32, 1024])).toEqual([0, 5, 10]);
  });

  it("gives small ordinal parameters one point per value and spreads large ones over the grid", () => {
    const layers: Parameter = { name: "l", type: "Int", min: 1, max: 8, scale: "Linear", step: 1 };
    expect(parameterGrid(layers).size).toBe(8);
    expect(points(layers, [1, 2, 8])).toEqual([0, 1, 7]);
    const units: Parameter = { name: "u", type: "Int", min: 0, max: 999, scale: "Linear", step: 1 };
    expect(parameterGrid(units).size).toBe(MAX_GRID_POINTS);
    expect(points(units, [0, 500, 999])).toEqual([0, 25, 49]);
    const wd: Parameter = { name: "w", type: "Float", min: 0, max: 1, scale: "Linear", step: 0.05 };
    expect(parameterGrid(wd).size).toBe(21);
    expect(points(wd, [0, 0.35, 1])).toEqual([0, 7, 20]);
  });

  it("orders Discrete values by size and Categorical values as declared", () => {
    const width: Parameter = { name: "w", type: "Discrete", values: [10, 1, 100] };
    expect(points(width, [1, 10, 100])).toEqual([0, 1, 2]);
    expect(parameterGrid(width).categorical).toBe(false);
    const opt: Parameter = { name: "o", type: "Categorical", values: ["sgd", "adam", true] };
    expect(points(opt, ["sgd", "adam", true])).toEqual([0, 1, 2]);
    expect(parameterGrid(opt).categorical).toBe(true);
  });

  it("answers -1 for absent and illegal values", () => {
    const layers: Parameter = { name: "l", type: "Int", min: 1, max: 8, scale: "Linear", step: 1 };
    const batch: Parameter = { name: "b", type: "Int", min: 8, max: 512, scale: "Log", step: 1 };
    const opt: Parameter = { name: "o", type: "Categorical", values: ["sgd", "adam"] };
    const lr: Parameter = { name: "lr", type: "Float", min: 1e-4, max: 1, scale: "Log" };
    expect(points(layers, [undefined, 0, 9, 2.5, "3"])).toEqual([-1, -1, -1, -1, -1]);
    expect(points(batch, [undefined, 4, 600, 16.5, "16"])).toEqual([-1, -1, -1, -1, -1]);
    expect(points(opt, [undefined, "rms", 0])).toEqual([-1, -1, -1]);
    expect(points(lr, [undefined, 0, 2, Number.NaN, "0.1"])).toEqual([-1, -1, -1, -1, -1]);
  });

  it("has a single point for a parameter with one value", () => {
    expect(parameterGrid({ name: "c", type: "Categorical", values: ["x"] }).size).toBe(1);
    expect(parameterGrid({ name: "f", type: "Float", min: 2, max: 2, scale: "Linear" }).size).toBe(1);
  });
});
