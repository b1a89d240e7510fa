/**
 * Property suite shared by the model-based strategies' tests (Bayesian,
 * CMA-ES): any valid space, any history of finished and running trials.
 */
import fc from "fast-check";
import { expect, it } from "vitest";
import type { TrialObservation } from "../../../src/api/index.js";
import { countGridPoints, type SearchSpace } from "../../../src/space/index.js";
import type { Strategy } from "../../../src/strategies/index.js";
import { randomStrategy } from "../../../src/strategies/index.js";
import { parameterListArb } from "../space/arbitraries.js";
import { makeRequest, range } from "./fixtures.js";

/** Whether a batch of a few points can always be free of duplicates. */
function isRoomy(space: SearchSpace): boolean {
  if (space.dims.some((dim) => dim.cardinality === undefined && dim.conditions.length === 0)) return true;
  if (space.dims.some((dim) => dim.cardinality === undefined)) return false;
  return countGridPoints(space, 1000) >= 60;
}

const caseArb = fc.record({
  parameters: parameterListArb({ maxParameters: 4 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  historySize: fc.integer({ min: 0, max: 14 }),
  startupTrials: fc.integer({ min: 1, max: 6 }),
  running: fc.array(fc.boolean(), { minLength: 14, maxLength: 14 }),
  losses: fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 14, maxLength: 14 }),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function requestFor(c: Case, batch: number) {
  const base = makeRequest(c.parameters, [], c.seed);
  const points = randomStrategy.suggest({ ...base, indices: range(c.historySize), seed: c.seed + 1 });
  const history: TrialObservation[] = points.map((parameters, index) => {
    const loss = c.losses[index] as number;
    return c.running[index]
      ? { index, parameters: parameters ?? {}, phase: "Running", history: [], createdAt: index }
      : {
          index,
          parameters: parameters ?? {},
          phase: "Succeeded",
          history: [{ values: { loss } }],
          metrics: { loss },
          createdAt: index,
        };
  });
  base.spec.search.startupTrials = c.startupTrials;
  return { ...base, history, indices: range(batch, c.historySize) };
}

export function describeStrategyProperties(strategy: Strategy, numRuns: number): void {
  it("suggests only legal points that respect conditions, without duplicates within a batch", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const request = requestFor(c, 3);
        const suggestions = strategy.suggest(request);
        expect(suggestions).toHaveLength(3);
        const keys = new Set<string>();
        for (const values of suggestions) {
          expect(values).not.toBeNull();
          if (!values) continue;
          expect(request.space.contains(values)).toBe(true);
          request.space.dims.forEach((dim, i) => {
            expect(dim.name in values).toBe(request.space.isActive(i, values));
          });
          keys.add(JSON.stringify(request.space.dims.map((dim) => values[dim.name] ?? null)));
        }
        if (isRoomy(request.space)) expect(keys.size).toBe(3);
      }),
      { numRuns },
    );
  });

  it("is deterministic: the same seed and history give the same suggestions", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const first = strategy.suggest(requestFor(c, 2));
        const again = strategy.suggest(requestFor(c, 2));
        expect(again).toEqual(first);
      }),
      { numRuns: Math.ceil(numRuns / 2) },
    );
  });
}
