import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countGridPoints } from "../../../src/space/index.js";
import { nsga2Strategy, type Strategy, tpeStrategy } from "../../../src/strategies/index.js";
import { parameterKey } from "../../../src/strategies/tpe/distinct.js";
import { parameterListArb } from "../space/arbitraries.js";
import { makeRequest, range } from "./fixtures.js";
import { phaseArb, randomHistory } from "./tpe-history.js";

const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const historyArb = fc.array(phaseArb, { minLength: 0, maxLength: 40 });

// Shared with NSGA-II: the same contract, the same kinds of histories.
const strategies: { name: string; strategy: Strategy; objectives: number }[] = [
  { name: "TPE", strategy: tpeStrategy, objectives: 1 },
  { name: "TPE (MOTPE)", strategy: tpeStrategy, objectives: 2 },
  { name: "NSGA2", strategy: nsga2Strategy, objectives: 2 },
];

function requestFor(
  parameters: Parameters<typeof makeRequest>[0],
  phases: Parameters<typeof randomHistory>[1],
  seed: number,
  batch: number,
  objectives: number,
) {
  const base = makeRequest(parameters, range(batch, phases.length), seed);
  const history = randomHistory(base.space, phases, seed);
  const request = {
    ...base,
    history,
    spec: { ...base.spec, search: { ...base.spec.search, startupTrials: 5 } },
  };
  if (objectives === 1) return request;
  return {
    ...request,
    objectives: [
      ...base.objectives,
      { name: "cost", direction: "Maximize" as const, reduction: "Last" as const },
    ],
  };
}

describe.each(strategies)("$name (properties)", ({ strategy, objectives }) => {
  it("suggests points inside the space that respect conditions, distinct within a batch and from running trials", () => {
    fc.assert(
      fc.property(parameterListArb({ maxParameters: 5 }), historyArb, seedArb, (parameters, phases, seed) => {
        const request = requestFor(parameters, phases, seed, 6, objectives);
        const suggestions = strategy.suggest(request);
        expect(suggestions).toHaveLength(6);
        const keys = new Set<string>();
        for (const values of suggestions) {
          if (values === null) throw new Error("a model-based strategy never runs out");
          expect(request.space.contains(values)).toBe(true);
          request.space.dims.forEach((dim, i) => {
            expect(dim.name in values).toBe(request.space.isActive(i, values));
          });
          keys.add(parameterKey(request.space, values));
        }
        const running = request.history.filter((t) => t.phase === "Running");
        for (const t of running) keys.add(parameterKey(request.space, t.parameters));
        // Distinctness is only possible when the space has room for every pending point.
        const dims = request.space.dims;
        const roomy = dims.every((d) => d.cardinality !== undefined)
          ? countGridPoints(request.space, 1000) >= 1000
          : dims.some((d) => d.cardinality === undefined && d.conditions.length === 0);
        if (roomy)
          expect(keys.size).toBe(
            6 + new Set(running.map((t) => parameterKey(request.space, t.parameters))).size,
          );
      }),
      { numRuns: 120 },
    );
  });

  it("is deterministic: same seed and history, same suggestions", () => {
    fc.assert(
      fc.property(parameterListArb({ maxParameters: 4 }), historyArb, seedArb, (parameters, phases, seed) => {
        const first = strategy.suggest(requestFor(parameters, phases, seed, 3, objectives));
        const again = strategy.suggest(requestFor(parameters, phases, seed, 3, objectives));
        expect(again).toEqual(first);
      }),
      { numRuns: 60 },
    );
  });
});
