/**
 * Test problems with known optima for the model-based strategies, and a
 * sequential loop that asks a strategy one trial at a time, as the engine does
 * with parallelism 1.
 */

import type { Parameter, ParameterValues, TrialObservation } from "../../../src/api/index.js";
import type { Strategy } from "../../../src/strategies/index.js";
import { branin } from "../../support/test-functions.js";
import { finishedTrial } from "../../support/trials.js";
import { makeRequest } from "./fixtures.js";

export interface TestProblem {
  name: string;
  parameters: Parameter[];
  optimum: number;
  loss(values: ParameterValues): number;
}

const float = (name: string, min: number, max: number): Parameter => ({
  name,
  type: "Float",
  min,
  max,
  scale: "Linear",
});

export const BRANIN: TestProblem = {
  name: "Branin",
  parameters: [float("x1", -5, 10), float("x2", 0, 15)],
  optimum: 0.397887357729738,
  loss: (values) => branin([values.x1 as number, values.x2 as number]),
};

const H3_A = [
  [3, 10, 30],
  [0.1, 10, 35],
  [3, 10, 30],
  [0.1, 10, 35],
];
const H3_P = [
  [0.3689, 0.117, 0.2673],
  [0.4699, 0.4387, 0.747],
  [0.1091, 0.8732, 0.5547],
  [0.03815, 0.5743, 0.8828],
];
const H3_ALPHA = [1, 1.2, 3, 3.2];

export const HARTMANN3: TestProblem = {
  name: "Hartmann-3",
  parameters: [float("x0", 0, 1), float("x1", 0, 1), float("x2", 0, 1)],
  optimum: -3.86278214782076,
  loss(values) {
    let total = 0;
    for (let i = 0; i < 4; i++) {
      let inner = 0;
      for (let j = 0; j < 3; j++) {
        const x = values[`x${j}`] as number;
        inner += (H3_A[i]?.[j] as number) * (x - (H3_P[i]?.[j] as number)) ** 2;
      }
      total -= (H3_ALPHA[i] as number) * Math.exp(-inner);
    }
    return total;
  },
};

export { finishedTrial };

/** Runs `trials` trials one after another; returns the history. */
export function runSequentially(
  strategy: Strategy,
  problem: TestProblem,
  trials: number,
  seed: number,
): TrialObservation[] {
  const history: TrialObservation[] = [];
  for (let index = 0; index < trials; index++) {
    const request = makeRequest(problem.parameters, [index], seed, { history });
    const [values] = strategy.suggest(request);
    if (!values) throw new Error(`${strategy.name} returned no suggestion for trial ${index}`);
    history.push(finishedTrial(index, values, problem.loss(values)));
  }
  return history;
}

export function simpleRegret(problem: TestProblem, history: readonly TrialObservation[]): number {
  const best = Math.min(...history.map((t) => t.metrics?.loss ?? Number.POSITIVE_INFINITY));
  return best - problem.optimum;
}
