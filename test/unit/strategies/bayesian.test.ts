import { describe, expect, it } from "vitest";
import type { Parameter, TrialObservation } from "../../../src/api/index.js";
import { bayesianStrategy } from "../../../src/strategies/bayesian.js";
import { randomStrategy, sobolStrategy } from "../../../src/strategies/index.js";
import { makeRequest, range } from "./fixtures.js";
import { BRANIN, finishedTrial, HARTMANN3, runSequentially, simpleRegret } from "./gpProblems.js";

const SEEDS = [1, 2, 3, 4];

describe("Bayesian strategy", () => {
  it.each([BRANIN, HARTMANN3])(
    "beats Random clearly on $name at 40 trials, over several seeds",
    (problem) => {
      const logRegret = (strategy: typeof randomStrategy) =>
        SEEDS.map((seed) =>
          Math.log10(Math.max(simpleRegret(problem, runSequentially(strategy, problem, 40, seed)), 1e-12)),
        );
      const gp = logRegret(bayesianStrategy);
      const random = logRegret(randomStrategy);
      const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
      // Typically GP reaches 1e-4..1e-3 and Random 1e-1..1: an order of magnitude is a safe margin.
      expect(mean(gp)).toBeLessThan(mean(random) - 1);
      expect(Math.max(...gp)).toBeLessThan(Math.min(...random));
    },
    120_000,
  );

  it("starts with the scrambled Sobol points, startupTrials of them", () => {
    const request = makeRequest(BRANIN.parameters, range(10), 5);
    expect(bayesianStrategy.suggest(request)).toEqual(sobolStrategy.suggest(request));
    const history = runSequentially(bayesianStrategy, BRANIN, 12, 5);
    const sobol = sobolStrategy.suggest(makeRequest(BRANIN.parameters, range(12), 5));
    expect(history.slice(0, 10).map((t) => t.parameters)).toEqual(sobol.slice(0, 10));
    expect(history[10]?.parameters).not.toEqual(sobol[10]);
  });

  it("honours search.startupTrials", () => {
    const request = makeRequest(BRANIN.parameters, range(4), 5);
    request.spec.search.startupTrials = 3;
    const history = [0, 1, 2].map((i) => {
      const [values] = sobolStrategy.suggest(makeRequest(BRANIN.parameters, [i], 5));
      return finishedTrial(i, values ?? {}, BRANIN.loss(values ?? {}));
    });
    const [next] = bayesianStrategy.suggest({ ...request, history, indices: [3] });
    const [sobolNext] = sobolStrategy.suggest(makeRequest(BRANIN.parameters, [3], 5));
    expect(next).not.toEqual(sobolNext);
  });

  it("spreads a batch with pending trials (kriging believer) instead of repeating one point", () => {
    const history = runSequentially(bayesianStrategy, BRANIN, 15, 9);
    const running: TrialObservation = { ...(history[14] as TrialObservation), phase: "Running" };
    const withRunning = [...history.slice(0, 14), running];
    delete running.metrics;
    const batch = bayesianStrategy.suggest({
      ...makeRequest(BRANIN.parameters, [15, 16, 17, 18], 9),
      history: withRunning,
    });
    const points = batch.map((v) => [v?.x1 as number, v?.x2 as number]);
    for (let i = 0; i < points.length; i++) {
      for (let j = 0; j < i; j++) {
        const [a, b] = [points[i] as number[], points[j] as number[]];
        expect(
          Math.hypot(((a[0] as number) - (b[0] as number)) / 15, ((a[1] as number) - (b[1] as number)) / 15),
        ).toBeGreaterThan(1e-3);
      }
      expect(points[i]).not.toEqual([running.parameters.x1, running.parameters.x2]);
    }
  });

  it("maximises when the objective says Maximize", () => {
    const request = makeRequest(HARTMANN3.parameters, [], 3);
    const objectives = [{ name: "loss", direction: "Maximize" as const, reduction: "Last" as const }];
    const history: TrialObservation[] = [];
    for (let index = 0; index < 30; index++) {
      const [values] = bayesianStrategy.suggest({ ...request, history, indices: [index], objectives });
      history.push(finishedTrial(index, values ?? {}, -HARTMANN3.loss(values ?? {})));
    }
    const best = Math.max(...history.map((t) => t.metrics?.loss as number));
    expect(-best - HARTMANN3.optimum).toBeLessThan(0.1);
  }, 60_000);

  it("optimises the first objective when given several", () => {
    const request = makeRequest(BRANIN.parameters, [12], 4);
    const history = runSequentially(bayesianStrategy, BRANIN, 12, 4);
    const two = [
      { name: "loss", direction: "Minimize" as const, reduction: "Last" as const },
      { name: "other", direction: "Maximize" as const, reduction: "Last" as const },
    ];
    const single = bayesianStrategy.suggest({ ...request, history });
    expect(bayesianStrategy.suggest({ ...request, history, objectives: two })).toEqual(single);
  });

  it("ignores failed trials and trials without the metric", () => {
    const history = runSequentially(bayesianStrategy, BRANIN, 12, 6);
    const request = { ...makeRequest(BRANIN.parameters, [13], 6), history };
    const failed: TrialObservation = {
      index: 12,
      parameters: { x1: 0, x2: 0 },
      phase: "Failed",
      history: [],
      createdAt: 12,
    };
    const withFailed = bayesianStrategy.suggest({ ...request, history: [...history, failed] });
    expect(withFailed[0]).not.toEqual({ x1: 0, x2: 0 });
    expect(withFailed).toHaveLength(1);
  });

  it("handles a mixed space: log, int, categorical and conditional parameters", () => {
    const parameters: Parameter[] = [
      { name: "lr", type: "Float", min: 1e-5, max: 1e-1, scale: "Log" },
      { name: "layers", type: "Int", min: 1, max: 6, scale: "Linear", step: 1 },
      { name: "optimizer", type: "Categorical", values: ["adam", "sgd"] },
      { name: "momentum", type: "Float", min: 0.5, max: 0.99, scale: "Linear", when: { optimizer: "sgd" } },
    ];
    // Best at lr = 1e-3, 4 layers, sgd with momentum 0.9.
    const loss = (v: TrialObservation["parameters"]) =>
      (Math.log10(v.lr as number) + 3) ** 2 +
      0.1 * ((v.layers as number) - 4) ** 2 +
      (v.optimizer === "sgd" ? ((v.momentum as number) - 0.9) ** 2 * 10 : 0.5);
    const history: TrialObservation[] = [];
    for (let index = 0; index < 30; index++) {
      const request = makeRequest(parameters, [index], 8, { history });
      const [values] = bayesianStrategy.suggest(request);
      expect(request.space.contains(values ?? {})).toBe(true);
      history.push(finishedTrial(index, values ?? {}, loss(values ?? {})));
    }
    expect(Math.min(...history.map((t) => t.metrics?.loss as number))).toBeLessThan(0.1);
  }, 60_000);
});
