/**
 * Strategy names → strategies, and what `Auto` means. Adding a strategy is
 * one entry in `STRATEGY_FACTORIES` (and, if Auto should pick it, one rule in
 * `resolveAutoStrategy`).
 */
import type { StrategyName, TuningJobSpec } from "../api/index.js";
import { countGridPoints, type SearchSpace } from "../space/index.js";
import { bayesianStrategy } from "./bayesian.js";
import { cmaesStrategy } from "./cmaes.js";
import { gridStrategy } from "./grid.js";
import { nsga2Strategy } from "./nsga2/index.js";
import { randomStrategy } from "./random.js";
import { sobolStrategy } from "./sobol.js";
import { tpeStrategy } from "./tpe/index.js";
import type { Strategy } from "./types.js";

type StrategyFactory = (space: SearchSpace, spec: TuningJobSpec) => Strategy;

const STRATEGY_FACTORIES: Readonly<Record<Exclude<StrategyName, "Auto">, StrategyFactory>> = {
  Grid: () => gridStrategy,
  Random: () => randomStrategy,
  Sobol: () => sobolStrategy,
  Bayesian: () => bayesianStrategy,
  CMAES: () => cmaesStrategy,
  TPE: () => tpeStrategy,
  NSGA2: () => nsga2Strategy,
};

export type ConcreteStrategyName = keyof typeof STRATEGY_FACTORIES;

export function createStrategy(
  name: StrategyName | string,
  space: SearchSpace,
  spec: TuningJobSpec,
): Strategy {
  const resolved = name === "Auto" ? resolveAutoStrategy(spec, space) : name;
  if (!isConcreteStrategyName(resolved)) {
    const known = ["Auto", ...Object.keys(STRATEGY_FACTORIES)].join(", ");
    throw new Error(`unknown search strategy "${name}"; known strategies: ${known}`);
  }
  return STRATEGY_FACTORIES[resolved](space, spec);
}

export function isConcreteStrategyName(name: string): name is ConcreteStrategyName {
  return Object.hasOwn(STRATEGY_FACTORIES, name);
}

/**
 * The strategy a job runs with: the spec's own, or for Auto the choice made
 * earlier in this job (`pinned`), so that a raised budget on resume cannot
 * switch strategies halfway. Without a (known) pinned choice, Auto decides now.
 */
export function chosenStrategy(
  spec: TuningJobSpec,
  space: SearchSpace,
  pinned?: string,
): ConcreteStrategyName {
  if (spec.search.strategy !== "Auto") return spec.search.strategy;
  if (pinned !== undefined && isConcreteStrategyName(pinned)) return pinned;
  return resolveAutoStrategy(spec, space);
}

/** From this budget on, Auto prefers NSGA-II to MOTPE for several objectives (Optuna's AutoSampler uses TPE below about 250 trials). */
export const AUTO_NSGA2_MIN_TRIALS = 250;
/** Up to this budget, Auto prefers the Gaussian process on numeric spaces (a GP's cost grows as n³; it shines on small budgets). */
export const AUTO_GP_MAX_TRIALS = 200;

/**
 * Auto decides the way Optuna's AutoSampler does:
 * 1. Grid when every parameter is discrete and the whole (conditional) grid
 *    fits the trial budget: trying everything beats sampling.
 * 2. Several objectives: NSGA-II for large budgets, otherwise TPE (MOTPE).
 * 3. Bayesian (GP) for small budgets on spaces of Float and Int parameters
 *    without conditions, when that strategy is registered.
 * 4. Otherwise TPE: categorical, conditional or large-budget spaces.
 */
export function resolveAutoStrategy(spec: TuningJobSpec, space: SearchSpace): ConcreteStrategyName {
  const fullyDiscrete = space.dims.every((dim) => dim.cardinality !== undefined);
  const maxTrials = spec.limits.maxTrials;
  if (fullyDiscrete && countGridPoints(space, maxTrials) <= maxTrials) return "Grid";
  const objectiveCount = spec.objective.metrics?.length ?? 1;
  if (objectiveCount > 1) return maxTrials >= AUTO_NSGA2_MIN_TRIALS ? "NSGA2" : "TPE";
  const numericOnly = space.dims.every(
    (dim) => dim.parameter.type === "Float" || dim.parameter.type === "Int",
  );
  const gaussianProcessFits = numericOnly && !space.conditional && maxTrials <= AUTO_GP_MAX_TRIALS;
  if (gaussianProcessFits && Object.hasOwn(STRATEGY_FACTORIES, "Bayesian")) return "Bayesian";
  return "TPE";
}
