import { describe, expect, it } from "vitest";
import type { Parameter } from "../../../src/api/index.js";
import { createSearchSpace } from "../../../src/space/index.js";
import { createStrategy, resolveAutoStrategy } from "../../../src/strategies/index.js";
import { makeSpec } from "./fixtures.js";

const discrete: Parameter[] = [
  { name: "depth", type: "Int", min: 2, max: 6, scale: "Linear", step: 1 },
  { name: "booster", type: "Categorical", values: ["gbtree", "dart"] },
  { name: "rate", type: "Float", min: 0, max: 0.5, scale: "Linear", step: 0.25, when: { booster: "dart" } },
];

describe("strategy registry", () => {
  it("creates each named strategy", () => {
    const spec = makeSpec(discrete);
    const space = createSearchSpace(spec.parameters);
    for (const name of ["Grid", "Random", "Sobol"]) expect(createStrategy(name, space, spec).name).toBe(name);
  });

  it("Auto picks Grid when the whole (conditional) grid fits the trial budget", () => {
    // 5 depths × (gbtree + dart × 3 rates) = 20 points.
    const fits = makeSpec(discrete, {}, 20);
    expect(resolveAutoStrategy(fits, createSearchSpace(fits.parameters))).toBe("Grid");
    expect(createStrategy("Auto", createSearchSpace(fits.parameters), fits).name).toBe("Grid");
    const tooSmall = makeSpec(discrete, {}, 19);
    expect(resolveAutoStrategy(tooSmall, createSearchSpace(tooSmall.parameters))).toBe("TPE");
  });

  it("Auto picks a model (TPE here) when a Float has no step, however large the budget", () => {
    const spec = makeSpec(
      [...discrete, { name: "lr", type: "Float", min: 1e-4, max: 1, scale: "Log" }],
      {},
      100_000,
    );
    expect(resolveAutoStrategy(spec, createSearchSpace(spec.parameters))).toBe("TPE");
  });

  it("throws clearly for unknown names, including inherited property names", () => {
    const spec = makeSpec(discrete);
    const space = createSearchSpace(spec.parameters);
    expect(() => createStrategy("Hyperopt", space, spec)).toThrow(
      /unknown search strategy "Hyperopt".*Auto, Grid/,
    );
    expect(() => createStrategy("toString", space, spec)).toThrow(/unknown search strategy/);
  });
});
