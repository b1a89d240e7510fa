/** The search benchmark's own arithmetic (its Optuna side needs a Python venv and is not run here). */
import { describe, expect, it } from "vitest";
import { runFidelity, runRegret } from "../../../bench/search/hypertuneArms.js";
import { mixedConstants, mixedLoss } from "../../../bench/search/mixed.js";
import { PROBLEMS } from "../../../bench/search/problems.js";
import { mannWhitney, quantile } from "../../../bench/search/stats.js";
import {
  ackley,
  branin,
  hartmann6,
  hartmann6Curve,
  levy,
  OPTIMA,
  rosenbrock,
} from "../../support/test-functions.js";

describe("search benchmark functions", () => {
  it("reach their known optima", () => {
    expect(branin([Math.PI, 2.275])).toBeCloseTo(OPTIMA.branin, 9);
    expect(hartmann6([0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573])).toBeCloseTo(
      OPTIMA.hartmann6,
      5,
    );
    expect(rosenbrock([1, 1, 1, 1, 1])).toBe(0);
    expect(ackley(new Array(10).fill(0))).toBeCloseTo(0, 12);
    expect(levy(new Array(10).fill(1))).toBeCloseTo(0, 12);
    const c = mixedConstants();
    const best = {
      lr: 10 ** (c.lrCentre.sgd ?? 0),
      layers: c.layers,
      units: 2 ** c.log2Units,
      optimizer: "sgd",
    };
    expect(mixedLoss({ ...best, momentum: c.momentum, dropout: c.dropout }, c)).toBeCloseTo(0, 12);
    // The best width is a whole number of units, so the optimum 0 is reachable.
    expect(2 ** c.log2Units).toBeCloseTo(Math.round(2 ** c.log2Units), 9);
  });

  it("has a learning curve that ends at Hartmann-6", () => {
    const x = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
    expect(hartmann6Curve(x, 27, 27)).toBe(hartmann6(x));
    expect(hartmann6Curve(x, 1, 27)).toBeGreaterThan(hartmann6(x));
  });
});

describe("Mann–Whitney U", () => {
  it("is exact for small samples without ties", () => {
    expect(mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]).p).toBeCloseTo(2 / 252, 12);
    expect(mannWhitney([1, 2, 4], [3, 5, 6]).p).toBeCloseTo(0.2, 12);
  });

  it("uses the tie-corrected normal approximation with ties (as scipy's asymptotic method)", () => {
    const result = mannWhitney([1, 2, 2, 3, 3, 4], [2, 3, 5, 6, 6, 7]);
    expect(result.exact).toBe(false);
    expect(result.u).toBe(6);
    expect(result.p).toBeCloseTo(0.061324, 5);
  });

  it("interpolates quantiles", () => {
    expect(quantile([4, 1, 3, 2], 0.25)).toBeCloseTo(1.75, 12);
  });
});

describe("hypertune's arms", () => {
  it("run through the engine, deterministically", () => {
    const problem = PROBLEMS[0];
    if (!problem) throw new Error("no problem");
    const first = runRegret("TPE", problem, 3, 12);
    expect(first.values).toHaveLength(12);
    expect(runRegret("TPE", problem, 3, 12)).toEqual(first);
  });

  it("stop trials at ASHA's rungs on the multi-fidelity problem", () => {
    const trials = runFidelity("ASHA", 0, 9, 90);
    expect(trials.reduce((s, t) => s + t.steps, 0)).toBeGreaterThanOrEqual(90);
    for (const t of trials) expect([1, 3, 9]).toContain(t.steps);
    expect(trials.some((t) => t.steps < 9)).toBe(true);
  });
});
