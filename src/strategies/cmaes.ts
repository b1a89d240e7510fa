/**
 * CMA-ES (Hansen 2016; as Optuna's CmaEsSampler) on the numeric parameters,
 * in the unit cube, with no state kept between calls: the distribution is
 * replayed from the history every time.
 *
 * - After `search.startupTrials` (default 0) Sobol trials, trial `i` belongs
 *   to generation g = ⌊(i − startup)/λ⌋. The search starts at the best finished
 *   startup trial, or at the centre of the cube, with σ₀ = 1/6 (a sixth of
 *   every range, as Optuna).
 * - A generation updates the distribution only once all λ of its trials have
 *   finished; Failed trials and trials without the metric rank last. Until
 *   then, new trials (of this generation or, with high parallelism, of later
 *   ones) are drawn from the latest distribution, like Optuna, and are folded
 *   in with their actual parameters when their generation is replayed.
 * - Each trial's draw comes from its own stream `createRng(seed, index, ·)`, so
 *   the same history always gives the same suggestions. Draws outside the
 *   cube are redrawn (up to 100 times, as the `cmaes` package) and then clipped.
 * - Categorical parameters are sampled uniformly at random, independently of
 *   the rest (as Optuna does); an inactive conditional parameter enters the
 *   update at the current mean, so it carries no information.
 * - No restarts (IPOP) and no integer margin: on long runs with few integer
 *   values σ can shrink below one integer step, after which suggestions repeat
 *   (redrawn up to 20 times to avoid duplicating a tried point, then up to 20
 *   uniform draws, so a batch does not repeat a point while it can avoid it).
 * Several objectives: the first one is optimised.
 */
import type { ObjectiveSpec, ParameterValues, TrialObservation, TuningJobSpec } from "../api/index.js";
import { endedWithoutResult, isActive, lossOf, metricsOf } from "../api/index.js";
import { createRng, type SearchSpace } from "../space/index.js";
import { parameterKey } from "./bayesianData.js";
import {
  type CmaParameters,
  type CmaState,
  cmaParameters,
  type Evaluated,
  initialCmaState,
  sampleCma,
  updateCma,
} from "./cmaesState.js";
import { distinctStartupValues } from "./gp/startupPoints.js";
import type { Strategy } from "./types.js";

export const INITIAL_SIGMA = 1 / 6;
const MAX_REDRAWS = 100;
const MAX_DUPLICATE_RETRIES = 20;
const STREAM = 0xc3a5;

export const cmaesStrategy: Strategy = {
  name: "CMAES",
  suggest({ space, history, indices, seed, objectives, spec }) {
    const startup = spec.search.startupTrials ?? 0;
    const numeric = space.dims.filter((dim) => dim.kind !== "categorical").map((dim) => dim.index);
    const state =
      numeric.length > 0 ? replay(space, spec, history, objectives[0], numeric, startup) : undefined;
    const taken = new Set(history.map((trial) => parameterKey(space, trial.parameters)));
    return indices.map((index): ParameterValues => {
      if (index < startup) return distinctStartupValues(space, index, seed, taken);
      const rng = createRng(seed, index, STREAM);
      let values: ParameterValues = {};
      // Draws from the distribution first; if those keep repeating tried points, uniform draws as a last resort.
      for (let attempt = 0; attempt <= 2 * MAX_DUPLICATE_RETRIES; attempt++) {
        const u = new Array<number>(space.dims.length);
        for (let k = 0; k < u.length; k++) u[k] = rng.next();
        if (state && attempt <= MAX_DUPLICATE_RETRIES) {
          const x = sampleInCube(state, rng);
          numeric.forEach((dim, k) => {
            u[dim] = x[k] as number;
          });
        }
        values = space.decode(u);
        if (!taken.has(parameterKey(space, values))) break;
      }
      taken.add(parameterKey(space, values));
      return values;
    });
  },
};

function sampleInCube(state: CmaState, rng: ReturnType<typeof createRng>): Float64Array {
  let x = sampleCma(state, rng);
  for (let redraw = 0; redraw < MAX_REDRAWS && !x.every((v) => v >= 0 && v <= 1); redraw++)
    x = sampleCma(state, rng);
  return x.map((v) => Math.min(Math.max(v, 0), 1));
}

/** The distribution after every complete generation in the history, in order. */
function replay(
  space: SearchSpace,
  spec: TuningJobSpec,
  history: readonly TrialObservation[],
  objective: ObjectiveSpec | undefined,
  numeric: readonly number[],
  startup: number,
): CmaState {
  const p: CmaParameters = cmaParameters(numeric.length);
  const objectiveValue = (trial: TrialObservation): number => {
    if (!objective || endedWithoutResult(trial)) return Number.NaN;
    const value = metricsOf(spec, trial)[objective.name];
    if (value === undefined || !Number.isFinite(value)) return Number.NaN;
    return lossOf(value, objective.direction);
  };
  const byIndex = new Map(history.map((trial) => [trial.index, trial]));
  const numericPoint = (trial: TrialObservation, fallback: Float64Array): Float64Array => {
    const encoded = space.encode(trial.parameters);
    return Float64Array.from(numeric, (dim, k) => {
      const u = encoded[dim] as number;
      return Number.isNaN(u) ? (fallback[k] as number) : u;
    });
  };

  const centre = new Float64Array(numeric.length).fill(0.5);
  let bestStartup: { x: Float64Array; value: number } | undefined;
  for (let index = 0; index < startup; index++) {
    const trial = byIndex.get(index);
    if (!trial || isActive(trial)) continue;
    const value = objectiveValue(trial);
    if (Number.isFinite(value) && (!bestStartup || value < bestStartup.value)) {
      bestStartup = { x: numericPoint(trial, centre), value };
    }
  }
  let state = initialCmaState(bestStartup?.x ?? centre, INITIAL_SIGMA);
  for (let generation = 0; ; generation++) {
    const first = startup + generation * p.lambda;
    const population: Evaluated[] = [];
    for (let index = first; index < first + p.lambda; index++) {
      const trial = byIndex.get(index);
      if (!trial || isActive(trial)) return state;
      population.push({ x: numericPoint(trial, state.mean), value: objectiveValue(trial) });
    }
    if (population.some((s) => Number.isFinite(s.value))) state = updateCma(state, p, population);
  }
}
