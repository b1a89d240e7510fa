/**
 * hypertune's side: each arm runs through the engine's `plan()` one trial at
 * a time (parallelism 1), the same ask/tell loop as Optuna's side.
 */
import { type ParameterValues, type TrialObservation, TuningJobSpec } from "../../src/api/index.js";
import { plan } from "../../src/engine/index.js";
import { createSearchSpace } from "../../src/space/index.js";
import { createStrategy } from "../../src/strategies/index.js";
import { hartmann6, hartmann6Curve } from "../../test/support/test-functions.js";
import { finishedTrial } from "../../test/support/trials.js";
import { PROBLEMS, type Problem } from "./problems.js";

export interface RegretRun {
  seed: number;
  values: number[];
  /** What Auto resolved to. */
  strategy: string;
}

export interface FidelityTrial {
  steps: number;
  /** Hartmann-6 at full fidelity, for trials that ran all the steps. */
  final: number | null;
}

function specFor(problem: Problem, strategy: string, seed: number, maxTrials: number, extra = {}) {
  return TuningJobSpec.parse({
    objective: { metric: "loss", direction: "Minimize" },
    parameters: problem.parameters,
    search: strategy === "Auto" ? { seed } : { strategy, seed },
    limits: { maxTrials, parallelism: 1 },
    trialTemplate: { job: { template: { spec: { containers: [{ name: "train", image: "train:1" }] } } } },
    ...extra,
  });
}

export function runRegret(strategy: string, problem: Problem, seed: number, trials: number): RegretRun {
  const spec = specFor(problem, strategy, seed, trials);
  const history: TrialObservation[] = [];
  let resolved = strategy;
  for (let i = 0; i < trials; i++) {
    const next = plan(spec, history, i, 0);
    resolved = next.strategy;
    const created = next.create[0];
    if (!created) throw new Error(`${strategy} on ${problem.name}: no suggestion at trial ${i}`);
    history.push(finishedTrial(created.index, created.parameters, problem.loss(created.parameters)));
  }
  return { seed, values: history.map((t) => t.metrics?.loss ?? Number.NaN), strategy: resolved };
}

const hartmannProblem = PROBLEMS.find((p) => p.id === "hartmann6") as Problem;

/**
 * Random search on the multi-fidelity Hartmann-6 with an early-stopping rule,
 * one report per step, the engine planning after every report, until
 * `resourceCap` steps have been spent.
 */
export function runFidelity(
  rule: string,
  seed: number,
  maxStep: number,
  resourceCap: number,
): FidelityTrial[] {
  const spec = specFor(hartmannProblem, "Random", seed, 100_000, {
    earlyStopping: { rule, minResource: 1, maxResource: maxStep, reductionFactor: 3 },
  });
  const history: TrialObservation[] = [];
  const out: FidelityTrial[] = [];
  let spent = 0;
  let clock = 0;
  while (spent < resourceCap) {
    const created = plan(spec, history, clock++, 0).create[0];
    if (!created) throw new Error(`${rule}: no suggestion`);
    const x = [0, 1, 2, 3, 4, 5].map((j) => Number(created.parameters[`x${j}`]));
    const trial: TrialObservation = {
      index: created.index,
      parameters: created.parameters,
      phase: "Running",
      history: [],
      createdAt: clock,
    };
    history.push(trial);
    let steps = 0;
    for (let step = 1; step <= maxStep; step++) {
      trial.history.push({ step, values: { loss: hartmann6Curve(x, step, maxStep) } });
      steps = step;
      if (step === maxStep) break;
      if (plan(spec, history, clock++, 0).stop.some((s) => s.index === trial.index)) break;
    }
    spent += steps;
    const full = steps === maxStep;
    const loss = trial.history[trial.history.length - 1]?.values.loss ?? Number.NaN;
    Object.assign(trial, {
      phase: full ? "Succeeded" : "EarlyStopped",
      metrics: { loss },
      finishedAt: clock,
    });
    out.push({ steps, final: full ? hartmann6(x) : null });
  }
  return out;
}

/** Milliseconds per suggestion with a history of `n` random trials, `calls` times. */
export function suggestionLatency(strategy: string, problem: Problem, n: number, calls: number): number[] {
  const spec = specFor(problem, strategy, 0, n + calls);
  const space = createSearchSpace(spec.parameters);
  const filler = createStrategy("Random", space, spec);
  const indices = Array.from({ length: n }, (_, i) => i);
  const objectives = [{ name: "loss", direction: "Minimize" as const, reduction: "Last" as const }];
  const points = filler.suggest({ space, history: [], indices, seed: 1, objectives, spec });
  const history = points.map((p, i) =>
    finishedTrial(i, p as ParameterValues, problem.loss(p as ParameterValues)),
  );
  const tested = createStrategy(strategy, space, spec);
  const times: number[] = [];
  for (let call = 0; call < calls; call++) {
    const start = performance.now();
    tested.suggest({ space, history, indices: [n + call], seed: 0, objectives, spec });
    times.push(performance.now() - start);
  }
  return times;
}
