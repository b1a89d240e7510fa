import { describe, expect, it } from "vitest";
import type { Parameter, TrialObservation } from "../../../src/api/index.js";
import { cmaesStrategy } from "../../../src/strategies/cmaes.js";
import { cmaParameters } from "../../../src/strategies/cmaesState.js";
import { makeRequest, range } from "./fixtures.js";
import { finishedTrial } from "./gpProblems.js";

const CENTRE = [1, -2, 0.5, 3, -1];
const SPHERE_PARAMETERS: Parameter[] = CENTRE.map((_, i) => ({
  name: `x${i}`,
  type: "Float",
  min: -5,
  max: 5,
  scale: "Linear",
}));
const sphere = (values: TrialObservation["parameters"]) =>
  CENTRE.reduce((sum, c, i) => sum + ((values[`x${i}`] as number) - c) ** 2, 0);

/** One whole generation per call, everything finished in between: what the engine does with parallelism λ. */
function runGenerations(generations: number, seed: number): TrialObservation[] {
  const lambda = cmaParameters(CENTRE.length).lambda;
  const history: TrialObservation[] = [];
  for (let g = 0; g < generations; g++) {
    const indices = range(lambda, g * lambda);
    const suggestions = cmaesStrategy.suggest(makeRequest(SPHERE_PARAMETERS, indices, seed, { history }));
    suggestions.forEach((values, i) => {
      history.push(finishedTrial(indices[i] as number, values ?? {}, sphere(values ?? {})));
    });
  }
  return history;
}

describe("CMA-ES strategy", () => {
  it("uses Hansen's default population for d = 5: λ = 8, μ = 4, weights summing to 1", () => {
    const p = cmaParameters(5);
    expect(p.lambda).toBe(8);
    expect(p.mu).toBe(4);
    expect(p.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    expect(p.muEff).toBeGreaterThan(2.5);
    expect(p.muEff).toBeLessThan(4);
  });

  it.each([1, 2, 3])(
    "converges on a shifted 5-D sphere to f < 1e-6 within 100 generations (seed %i)",
    (seed) => {
      const history = runGenerations(100, seed);
      const best = Math.min(...history.map((t) => t.metrics?.loss as number));
      expect(best).toBeLessThan(1e-6);
    },
  );

  it("replays from the history alone: the same history gives the same next generation", () => {
    const history = runGenerations(10, 4);
    const request = makeRequest(SPHERE_PARAMETERS, range(8, 80), 4, { history });
    const first = cmaesStrategy.suggest(request);
    const again = cmaesStrategy.suggest(
      makeRequest(SPHERE_PARAMETERS, range(8, 80), 4, { history: [...history] }),
    );
    expect(again).toEqual(first);
    // One at a time gives the same points as the whole generation at once.
    expect(range(8, 80).map((i) => cmaesStrategy.suggest({ ...request, indices: [i] })[0])).toEqual(first);
  });

  it("waits for the whole generation before updating; meanwhile draws from the current distribution", () => {
    const history = runGenerations(3, 5);
    const partial = history.slice(0, 20);
    const running = history.slice(20, 24).map((t) => ({ ...t, phase: "Running" as const }));
    const complete = cmaesStrategy.suggest(makeRequest(SPHERE_PARAMETERS, [30], 5, { history: partial }));
    // Generation 2 (trials 16..23) is unfinished, so the state after generation 1 still applies.
    const withRunning = cmaesStrategy.suggest(
      makeRequest(SPHERE_PARAMETERS, [30], 5, { history: [...partial, ...running] }),
    );
    expect(withRunning).toEqual(complete);
    const finished = cmaesStrategy.suggest(makeRequest(SPHERE_PARAMETERS, [30], 5, { history }));
    expect(finished).not.toEqual(complete);
  });

  it("starts at the best startup trial when search.startupTrials is set", () => {
    const request = makeRequest(SPHERE_PARAMETERS, range(5), 2);
    request.spec.search.startupTrials = 5;
    const startup = cmaesStrategy
      .suggest(request)
      .map((values, i) => finishedTrial(i, values ?? {}, sphere(values ?? {})));
    const next = cmaesStrategy.suggest({ ...request, history: startup, indices: range(8, 5) });
    const bestStartup = startup.reduce((a, b) =>
      (a.metrics?.loss as number) < (b.metrics?.loss as number) ? a : b,
    );
    const meanDistance = (centre: TrialObservation["parameters"]) =>
      next.reduce(
        (sum, v) =>
          sum +
          Math.hypot(...CENTRE.map((_, i) => ((v?.[`x${i}`] as number) - (centre[`x${i}`] as number)) / 10)),
        0,
      ) / next.length;
    const origin = Object.fromEntries(CENTRE.map((_, i) => [`x${i}`, 0]));
    expect(meanDistance(bestStartup.parameters)).toBeLessThan(meanDistance(origin) + 0.2);
  });

  it("samples categorical parameters at random and keeps every suggestion legal", () => {
    const parameters: Parameter[] = [
      { name: "kind", type: "Categorical", values: ["a", "b", "c"] },
      { name: "rate", type: "Float", min: 1e-4, max: 1, scale: "Log" },
      { name: "depth", type: "Int", min: 1, max: 20, scale: "Linear", step: 1 },
      { name: "extra", type: "Float", min: 0, max: 1, scale: "Linear", when: { kind: "b" } },
    ];
    const request = makeRequest(parameters, range(60), 3);
    const suggestions = cmaesStrategy.suggest(request);
    const kinds = new Set(suggestions.map((v) => v?.kind));
    expect(kinds).toEqual(new Set(["a", "b", "c"]));
    for (const values of suggestions) expect(request.space.contains(values ?? {})).toBe(true);
  });
});
