import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  gridCardinality,
  MAX_GRID_POINTS,
  type Parameter,
  type ParameterValues,
} from "../../../src/api/index.js";
import {
  countGridPoints,
  createSearchSpace,
  gridPoints,
  type SearchSpace,
} from "../../../src/space/index.js";
import { parameterListArb } from "./arbitraries.js";

/** Every combination of every parameter's values, reduced to its active part, without repeats. */
function bruteForceGrid(space: SearchSpace): Set<string> {
  let combinations: ParameterValues[] = [{}];
  for (const dim of space.dims) {
    combinations = combinations.flatMap((c) =>
      (dim.gridValues() ?? []).map((v) => ({ ...c, [dim.name]: v })),
    );
  }
  const points = combinations.map((c) => {
    const active: ParameterValues = {};
    space.dims.forEach((dim, i) => {
      if (space.isActive(i, active)) active[dim.name] = c[dim.name] as string;
    });
    return JSON.stringify(active);
  });
  return new Set(points);
}

const key = (p: ParameterValues) => JSON.stringify(p);

describe("gridPoints", () => {
  it("has the product of the cardinalities as size for unconditional spaces, without repeats", () => {
    fc.assert(
      fc.property(parameterListArb({ gridFriendly: true, maxParameters: 5 }), (parameters) => {
        const unconditional = parameters.map(({ when: _, ...p }) => p as Parameter);
        const space = createSearchSpace(unconditional);
        const points = gridPoints(space);
        const product = unconditional.reduce((n, p) => n * (gridCardinality(p) ?? 0), 1);
        expect(points).toHaveLength(product);
        expect(new Set(points.map(key)).size).toBe(product);
        expect(countGridPoints(space)).toBe(product);
        for (const point of points) expect(space.contains(point)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("matches a brute-force enumeration for conditional spaces", () => {
    fc.assert(
      fc.property(parameterListArb({ gridFriendly: true, maxParameters: 5 }), (parameters) => {
        const space = createSearchSpace(parameters);
        const points = gridPoints(space);
        const expected = bruteForceGrid(space);
        expect(new Set(points.map(key))).toEqual(expected);
        expect(points).toHaveLength(expected.size);
        expect(countGridPoints(space)).toBe(expected.size);
        for (const point of points) expect(space.contains(point)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("enumerates row-major in declaration order, the last parameter fastest", () => {
    const space = createSearchSpace([
      { name: "a", type: "Categorical", values: ["x", "y"] },
      { name: "b", type: "Int", min: 1, max: 3, scale: "Linear", step: 2 },
      { name: "c", type: "Float", min: 0, max: 0.2, scale: "Linear", step: 0.1, when: { a: "y" } },
    ]);
    expect(gridPoints(space)).toEqual([
      { a: "x", b: 1 },
      { a: "x", b: 3 },
      { a: "y", b: 1, c: 0 },
      { a: "y", b: 1, c: 0.1 },
      { a: "y", b: 1, c: 0.2 },
      { a: "y", b: 3, c: 0 },
      { a: "y", b: 3, c: 0.1 },
      { a: "y", b: 3, c: 0.2 },
    ]);
  });

  it("throws clearly for a Float without a step and for grids over the cap", () => {
    const continuous = createSearchSpace([{ name: "lr", type: "Float", min: 0, max: 1, scale: "Linear" }]);
    expect(() => gridPoints(continuous)).toThrow('Grid needs a step for Float parameter "lr"');
    const huge = createSearchSpace([
      { name: "a", type: "Int", min: 0, max: 999, scale: "Linear", step: 1 },
      { name: "b", type: "Int", min: 0, max: 1000, scale: "Linear", step: 1 },
    ]);
    expect(() => gridPoints(huge)).toThrow(`more than ${MAX_GRID_POINTS} points`);
    expect(countGridPoints(huge, 50)).toBe(51);
  });

  it("counts huge unconditional grids without enumerating them", () => {
    const space = createSearchSpace([
      { name: "a", type: "Int", min: 0, max: 1e9, scale: "Linear", step: 1 },
      { name: "b", type: "Int", min: 0, max: 1e9, scale: "Linear", step: 1 },
    ]);
    expect(countGridPoints(space, Number.POSITIVE_INFINITY)).toBe((1e9 + 1) ** 2);
  });
});
