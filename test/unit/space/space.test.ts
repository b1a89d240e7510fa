import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Parameter, ParameterValues } from "../../../src/api/index.js";
import { Parameter as ParameterSchema } from "../../../src/api/index.js";
import { createRng, createSearchSpace, gridPoints, type SearchSpace } from "../../../src/space/index.js";
import { parameterListArb, unitPointArb } from "./arbitraries.js";

const spaceAndPointArb = parameterListArb().chain((parameters) =>
  fc.tuple(fc.constant(parameters), unitPointArb(parameters.length)),
);

/** Checks `values` against the parameters directly, independently of `contains`. */
function expectLegal(space: SearchSpace, values: ParameterValues): void {
  space.parameters.forEach((p, i) => {
    const active = Object.entries(p.when ?? {}).every(
      ([parent, wanted]) => parent in values && String(values[parent]) === String(wanted),
    );
    const value = values[p.name];
    if (!active) {
      expect(p.name in values, `${p.name} should be inactive`).toBe(false);
      return;
    }
    expect(space.isActive(i, values)).toBe(true);
    switch (p.type) {
      case "Float":
        expect(typeof value).toBe("number");
        expect(value).toBeGreaterThanOrEqual(p.min);
        expect(value).toBeLessThanOrEqual(p.max);
        if (p.step !== undefined) {
          const k = ((value as number) - p.min) / p.step;
          // value − min carries the rounding of numbers as large as the bounds, magnified by 1/step.
          const slack = 1e-6 + (8 * Number.EPSILON * Math.max(Math.abs(p.min), Math.abs(p.max))) / p.step;
          expect(Math.abs(k - Math.round(k))).toBeLessThan(slack);
        }
        break;
      case "Int":
        expect(Number.isInteger(value)).toBe(true);
        expect(value).toBeGreaterThanOrEqual(p.min);
        expect(value).toBeLessThanOrEqual(p.max);
        expect(((value as number) - p.min) % p.step).toBe(0);
        break;
      case "Categorical":
      case "Discrete":
        expect(p.values).toContain(value);
        break;
    }
  });
}

describe("search space (properties)", () => {
  it("the arbitrary produces parameters the API schema accepts", () => {
    fc.assert(
      fc.property(parameterListArb(), (parameters) => {
        for (const p of parameters) expect(ParameterSchema.safeParse(p).success).toBe(true);
      }),
    );
  });

  it("decodes every point of the unit cube to legal, complete values", () => {
    fc.assert(
      fc.property(spaceAndPointArb, ([parameters, u]) => {
        const space = createSearchSpace(parameters);
        const values = space.decode(u);
        expect(space.contains(values)).toBe(true);
        expectLegal(space, values);
      }),
      { numRuns: 500 },
    );
  });

  it("decode ∘ encode is the identity on decoded values", () => {
    fc.assert(
      fc.property(spaceAndPointArb, ([parameters, u]) => {
        const space = createSearchSpace(parameters);
        const values = space.decode(u);
        const encoded = space.encode(values);
        space.dims.forEach((dim, i) => {
          const position = encoded[i] as number;
          if (!(dim.name in values)) {
            expect(position).toBeNaN();
          } else {
            expect(position).toBeGreaterThanOrEqual(0);
            expect(position).toBeLessThanOrEqual(1);
          }
        });
        const again = space.decode(encoded.map((x) => (Number.isNaN(x) ? 0 : x)));
        for (const dim of space.dims) {
          const before = values[dim.name];
          const after = again[dim.name];
          if (before === undefined) {
            expect(after).toBeUndefined();
          } else if (dim.kind === "continuous") {
            expect(after as number).toBeCloseTo(before as number, 6);
            expect(Math.abs((after as number) - (before as number))).toBeLessThanOrEqual(
              1e-9 * Math.max(1, Math.abs(before as number)),
            );
          } else {
            expect(after).toBe(before);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it("encode ∘ decode round-trips every grid point exactly", () => {
    fc.assert(
      fc.property(parameterListArb({ gridFriendly: true, maxParameters: 4 }), (parameters) => {
        const space = createSearchSpace(parameters);
        for (const point of gridPoints(space)) {
          expect(space.contains(point)).toBe(true);
          const u = space.encode(point).map((x) => (Number.isNaN(x) ? 0.5 : x));
          expect(space.decode(u)).toEqual(point);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("contains rejects unknown, inactive, missing and illegal values", () => {
    fc.assert(
      fc.property(spaceAndPointArb, ([parameters, u]) => {
        const space = createSearchSpace(parameters);
        const values = space.decode(u);
        expect(space.contains({ ...values, notAParameter: 1 })).toBe(false);
        for (const dim of space.dims) {
          const { [dim.name]: present, ...without } = values;
          if (present === undefined) {
            expect(space.contains({ ...values, [dim.name]: dim.decode(0.5) })).toBe(false);
          } else {
            expect(space.contains(without)).toBe(false);
            expect(space.contains({ ...values, [dim.name]: Number.NaN })).toBe(false);
            expect(space.contains({ ...values, [dim.name]: {} as unknown as string })).toBe(false);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("search space (edge cases)", () => {
  const decodeMany = (p: Parameter, n = 1000): number[] => {
    const space = createSearchSpace([p]);
    return Array.from({ length: n + 1 }, (_, i) => space.decode([i / n])[p.name] as number);
  };

  it("keeps a Float with min very close to max inside its bounds", () => {
    const p: Parameter = { name: "x", type: "Float", min: 1, max: 1 + 1e-12, scale: "Linear" };
    for (const v of decodeMany(p)) expect(v >= 1 && v <= 1 + 1e-12).toBe(true);
    const log: Parameter = { ...p, scale: "Log" };
    for (const v of decodeMany(log)) expect(v >= 1 && v <= 1 + 1e-12).toBe(true);
    const reverse: Parameter = { ...p, min: 0.5, max: 0.5 + 1e-12, scale: "ReverseLog" };
    for (const v of decodeMany(reverse)) expect(v >= 0.5 && v <= 0.5 + 1e-12).toBe(true);
  });

  it("spreads a Log Float over twenty decades evenly per decade, ends included", () => {
    const p: Parameter = { name: "x", type: "Float", min: 1e-10, max: 1e10, scale: "Log" };
    const values = decodeMany(p, 2000);
    expect(values[0]).toBe(1e-10);
    expect(values.at(-1)).toBe(1e10);
    for (const v of values) expect(v >= 1e-10 && v <= 1e10).toBe(true);
    expect(values[1000]).toBeCloseTo(1, 9);
    const belowOne = values.filter((v) => v < 1).length;
    expect(belowOne).toBe(1000);
  });

  it("spreads 1 - value of a ReverseLog Float evenly on a log scale", () => {
    const p: Parameter = { name: "momentum", type: "Float", min: 0.9, max: 0.9999, scale: "ReverseLog" };
    const values = decodeMany(p, 3000);
    expect(values[0]).toBeCloseTo(0.9, 12);
    expect(values.at(-1)).toBeCloseTo(0.9999, 12);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1] as number);
    // Three decades of 1 - value (0.1 → 0.0001), one third of the unit interval each.
    expect(values[1000]).toBeCloseTo(0.99, 9);
    expect(values[2000]).toBeCloseTo(0.999, 9);
    expect(values[1500]).toBeCloseTo(1 - 10 ** -2.5, 9);
  });

  it("draws ReverseLog values with about a third above 0.999 on [0.9, 0.9999]", () => {
    const p: Parameter = { name: "momentum", type: "Float", min: 0.9, max: 0.9999, scale: "ReverseLog" };
    const space = createSearchSpace([p]);
    const rng = createRng(2024);
    const draws = Array.from({ length: 20_000 }, () => space.decode([rng.next()]).momentum as number);
    for (const v of draws) expect(v >= 0.9 && v <= 0.9999).toBe(true);
    const above = draws.filter((v) => v > 0.999).length / draws.length;
    expect(above).toBeGreaterThan(0.31);
    expect(above).toBeLessThan(0.36);
    const sorted = [...draws].sort((a, b) => a - b);
    // The median of 1 - value is the geometric mean of 0.1 and 0.0001.
    expect(sorted[sorted.length / 2]).toBeGreaterThan(0.9962);
    expect(sorted[sorted.length / 2]).toBeLessThan(0.9972);
  });

  it("maps ReverseLog values back to the unit interval with the same transform", () => {
    const p: Parameter = { name: "momentum", type: "Float", min: 0.9, max: 0.9999, scale: "ReverseLog" };
    const space = createSearchSpace([p]);
    expect(space.encode({ momentum: 0.99 })[0]).toBeCloseTo(1 / 3, 9);
    expect(space.encode({ momentum: 0.999 })[0]).toBeCloseTo(2 / 3, 9);
    expect(space.encode({ momentum: 0.9 })).toEqual([0]);
    expect(space.encode({ momentum: 0.9999 })[0]).toBeCloseTo(1, 12);
    for (const u of [0, 0.1, 0.37, 0.5, 0.83, 1]) {
      expect(space.encode(space.decode([u]))[0]).toBeCloseTo(u, 9);
    }
    expect(space.encode({ momentum: 0.99995 })).toEqual([Number.NaN]);
  });

  it("refuses a ReverseLog Float that reaches 1", () => {
    expect(() =>
      createSearchSpace([{ name: "m", type: "Float", min: 0.9, max: 1, scale: "ReverseLog" }]),
    ).toThrow(/ReverseLog scale needs max < 1/);
  });

  it("always picks the one value of a single-value Categorical", () => {
    const space = createSearchSpace([{ name: "c", type: "Categorical", values: ["only"] }]);
    for (const u of [0, 0.3, 0.999, 1]) expect(space.decode([u])).toEqual({ c: "only" });
    expect(space.encode({ c: "only" })).toEqual([0.5]);
    expect(space.contains({ c: "other" })).toBe(false);
  });

  it("gives an Int Log scale integers spread evenly in log space", () => {
    const p: Parameter = { name: "units", type: "Int", min: 1, max: 1024, scale: "Log", step: 1 };
    const values = decodeMany(p, 10_000);
    expect(values.every((v) => Number.isInteger(v) && v >= 1 && v <= 1024)).toBe(true);
    expect(values[0]).toBe(1);
    expect(values.at(-1)).toBe(1024);
    const belowMiddle = values.filter((v) => v <= 32).length / values.length;
    expect(belowMiddle).toBeGreaterThan(0.45);
    expect(belowMiddle).toBeLessThan(0.55);
  });

  it("keeps an Int Log scale with a large step on its steps", () => {
    const p: Parameter = { name: "batch", type: "Int", min: 16, max: 512, scale: "Log", step: 16 };
    const space = createSearchSpace([p]);
    const seen = new Set(decodeMany(p, 5000));
    expect([...seen].every((v) => v % 16 === 0 && v >= 16 && v <= 512)).toBe(true);
    expect(seen.size).toBe(32);
    for (const v of seen) expect(space.decode(space.encode({ batch: v }))).toEqual({ batch: v });
  });

  it("quantises a stepped Float to tidy values within bounds", () => {
    const p: Parameter = { name: "dropout", type: "Float", min: 0.1, max: 0.55, scale: "Linear", step: 0.1 };
    expect([...new Set(decodeMany(p))]).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
  });

  it("sorts Discrete values on the unit interval but keeps the user's order on the grid", () => {
    const space = createSearchSpace([{ name: "lr", type: "Discrete", values: [0.1, 0.001, 0.01] }]);
    expect([0.1, 0.5, 0.9].map((u) => space.decode([u]).lr)).toEqual([0.001, 0.01, 0.1]);
    expect(gridPoints(space).map((p) => p.lr)).toEqual([0.1, 0.001, 0.01]);
  });

  it("compares when values as strings, and switches off children of inactive parents", () => {
    const space = createSearchSpace([
      { name: "use_decay", type: "Categorical", values: [true, false] },
      { name: "decay", type: "Int", min: 1, max: 3, scale: "Linear", step: 1, when: { use_decay: "true" } },
      { name: "decay_shape", type: "Categorical", values: ["a", "b"], when: { decay: "2" } },
    ]);
    expect(space.decode([0, 0.5, 0])).toEqual({ use_decay: true, decay: 2, decay_shape: "a" });
    expect(space.decode([0, 0.9, 0])).toEqual({ use_decay: true, decay: 3 });
    expect(space.decode([0.9, 0.5, 0])).toEqual({ use_decay: false });
    expect(space.encode({ use_decay: false })).toEqual([0.75, Number.NaN, Number.NaN]);
    expect(space.contains({ use_decay: false, decay: 2 })).toBe(false);
  });

  it("matches numbers and booleans in when against the parent's values, as their text does", () => {
    const typed = createSearchSpace([
      { name: "use_decay", type: "Categorical", values: [true, false] },
      { name: "decay", type: "Int", min: 1, max: 3, scale: "Linear", step: 1, when: { use_decay: true } },
      { name: "decay_shape", type: "Categorical", values: ["a", "b"], when: { decay: 2 } },
    ]);
    expect(typed.decode([0, 0.5, 0])).toEqual({ use_decay: true, decay: 2, decay_shape: "a" });
    expect(typed.decode([0, 0.9, 0])).toEqual({ use_decay: true, decay: 3 });
    expect(typed.decode([0.9, 0.5, 0])).toEqual({ use_decay: false });
    expect(typed.isActive(2, { use_decay: true, decay: 2 })).toBe(true);
    expect(typed.contains({ use_decay: true, decay: 2 })).toBe(false);
    expect(gridPoints(typed)).toEqual([
      { use_decay: true, decay: 1 },
      { use_decay: true, decay: 2, decay_shape: "a" },
      { use_decay: true, decay: 2, decay_shape: "b" },
      { use_decay: true, decay: 3 },
      { use_decay: false },
    ]);
  });

  it("rejects conditions on later or unknown parameters, and bad coordinates", () => {
    expect(() =>
      createSearchSpace([
        { name: "a", type: "Categorical", values: ["x"], when: { b: "y" } },
        { name: "b", type: "Categorical", values: ["y"] },
      ]),
    ).toThrow(/not declared before/);
    const space = createSearchSpace([{ name: "a", type: "Float", min: 0, max: 1, scale: "Linear" }]);
    expect(() => space.decode([])).toThrow(/expected 1 coordinates/);
    expect(() => space.decode([Number.NaN])).toThrow(/must be in \[0, 1\]/);
  });

  it("ignores inherited properties when checking values", () => {
    const space = createSearchSpace([
      { name: "constructor", type: "Int", min: 0, max: 2, scale: "Linear", step: 1 },
    ]);
    expect(space.contains({})).toBe(false);
    expect(space.encode({})).toEqual([Number.NaN]);
  });
});
