import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Parameter } from "../../../src/api/index.js";
import { gridStrategy, randomStrategy, type Strategy, sobolStrategy } from "../../../src/strategies/index.js";
import { parameterListArb } from "../space/arbitraries.js";
import { makeRequest, range } from "./fixtures.js";

const strategies: { name: string; strategy: Strategy; parametersArb: fc.Arbitrary<Parameter[]> }[] = [
  { name: "Random", strategy: randomStrategy, parametersArb: parameterListArb() },
  { name: "Sobol", strategy: sobolStrategy, parametersArb: parameterListArb() },
  {
    name: "Grid",
    strategy: gridStrategy,
    parametersArb: parameterListArb({ gridFriendly: true, maxParameters: 5 }),
  },
];

const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });

describe.each(strategies)("$name strategy (properties)", ({ strategy, parametersArb }) => {
  it("every suggestion lies in the space and respects conditions", () => {
    fc.assert(
      fc.property(parametersArb, seedArb, fc.boolean(), (parameters, seed, shuffleGrid) => {
        const request = makeRequest(parameters, range(40), seed, { shuffleGrid });
        for (const values of strategy.suggest(request)) {
          if (values === null) continue;
          expect(request.space.contains(values)).toBe(true);
          request.space.dims.forEach((dim, i) => {
            expect(dim.name in values).toBe(request.space.isActive(i, values));
          });
        }
      }),
      { numRuns: 150 },
    );
  });

  it("is deterministic per seed and index, whatever else is asked for", () => {
    fc.assert(
      fc.property(parametersArb, seedArb, (parameters, seed) => {
        const all = strategy.suggest(makeRequest(parameters, range(20), seed));
        const again = strategy.suggest(makeRequest(parameters, range(20), seed));
        expect(again).toEqual(all);
        const some = strategy.suggest(makeRequest(parameters, [3, 17], seed));
        expect(some).toEqual([all[3], all[17]]);
      }),
      { numRuns: 100 },
    );
  });
});

describe("seeds", () => {
  const parameters: Parameter[] = [
    { name: "lr", type: "Float", min: 1e-5, max: 1e-1, scale: "Log" },
    { name: "layers", type: "Int", min: 1, max: 8, scale: "Linear", step: 1 },
  ];

  it.each([randomStrategy, sobolStrategy])("$name suggests differently for different seeds", (strategy) => {
    fc.assert(
      fc.property(seedArb, seedArb, (a, b) => {
        fc.pre(a !== b);
        const first = strategy.suggest(makeRequest(parameters, range(4), a));
        const second = strategy.suggest(makeRequest(parameters, range(4), b));
        expect(first).not.toEqual(second);
      }),
      { numRuns: 50 },
    );
  });

  it("Grid with shuffleGrid visits the grid in a different order for different seeds", () => {
    const grid: Parameter[] = [{ name: "layers", type: "Int", min: 1, max: 20, scale: "Linear", step: 1 }];
    const first = gridStrategy.suggest(makeRequest(grid, range(20), 1, { shuffleGrid: true }));
    const second = gridStrategy.suggest(makeRequest(grid, range(20), 2, { shuffleGrid: true }));
    expect(first).not.toEqual(second);
  });
});
