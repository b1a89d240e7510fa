/**
 * Bayesian optimisation with a Gaussian process, in the spirit of Optuna's
 * GPSampler:
 * - the first `search.startupTrials` (default 10) trials, and any trial asked
 *   for before two have finished, take scrambled Sobol points;
 * - then a Matérn-5/2 ARD GP on standardised values of the first objective
 *   (several objectives are not modelled jointly: the first one is optimised,
 *   use NSGA2 for a Pareto front), hyperparameters by MAP (gp/fit.ts);
 * - each new point maximises log EI (gp/acquisition.ts); pending trials and
 *   earlier picks of the same batch enter as observations at the posterior
 *   mean (the kriging believer, Ginsbourger, Le Riche & Carraro 2010), so a
 *   batch spreads out instead of repeating one point.
 * Int and stepped parameters are searched continuously and rounded on
 * decode; categorical ones keep their encoded position but the kernel only
 * sees equal or different. An inactive conditional parameter sits at 0.5 for
 * the model. Beyond MAX_MODEL_POINTS observations the fit uses the best and
 * the most recent ones, which bounds the cost of a suggestion.
 */
import type { ParameterValues } from "../api/index.js";
import { hashSeeds, type SearchSpace } from "../space/index.js";
import { collectModelData, encodeForModel, INACTIVE_COORDINATE, parameterKey } from "./bayesianData.js";
import { maximiseLogEI } from "./gp/acquisition.js";
import { fitKernelParams } from "./gp/fit.js";
import { prepareTrainingData } from "./gp/marginalLikelihood.js";
import { GaussianProcess } from "./gp/posterior.js";
import { distinctStartupValues, quasiRandomPoint } from "./gp/startupPoints.js";
import type { Strategy, SuggestRequest } from "./types.js";

export const DEFAULT_BAYESIAN_STARTUP_TRIALS = 10;
/** Fit cost grows as n³: past this many observations, keep the best third and the most recent rest. */
export const MAX_MODEL_POINTS = 200;
const SCREENING_CANDIDATES = 2048;
const LOCAL_SEARCHES = 10;
/** Distinguishes this strategy's random streams from others' for the same seed and index. */
const STREAM = 0x6770;

export const bayesianStrategy: Strategy = {
  name: "Bayesian",
  suggest(request) {
    const { space, history, indices, seed, spec } = request;
    const startup = spec.search.startupTrials ?? DEFAULT_BAYESIAN_STARTUP_TRIALS;
    const data = collectModelData(space, spec, history, request.objectives[0]);
    const modelNeeded = indices.some((index) => index >= startup) && data.observedValues.length >= 2;
    const model = modelNeeded && space.dims.length > 0 ? buildModel(request, data) : undefined;
    const taken = new Set(data.triedKeys);
    const suggestions: (ParameterValues | null)[] = [];
    for (const index of indices) {
      if (index < startup || !model) {
        const values = distinctStartupValues(space, index, seed, taken);
        // The encoded point, not the raw Sobol one: what the trial will look like to the model.
        const point = encodeForModel(space, values);
        if (point) model?.believe(point);
        suggestions.push(values);
        continue;
      }
      const point = model.next(index, taken);
      const values = space.decode(Array.from(point));
      taken.add(parameterKey(space, values));
      model.believe(point);
      suggestions.push(values);
    }
    return suggestions;
  },
};

interface Model {
  /** The point to try for `index`, avoiding parameters in `taken`. */
  next(index: number, taken: ReadonlySet<string>): Float64Array;
  /** Adds a point about to be tried, at the posterior mean. */
  believe(point: Float64Array): void;
}

function buildModel(request: SuggestRequest, data: ReturnType<typeof collectModelData>): Model {
  const { space, seed } = request;
  const d = space.dims.length;
  const categorical = Uint8Array.from(space.dims, (dim) => (dim.kind === "categorical" ? 1 : 0));
  const cardinality = Int32Array.from(space.dims, (dim) => dim.cardinality ?? 0);
  const kept = selectModelPoints(data.observedValues);
  const values = kept.map((i) => data.observedValues[i] as number);
  const { standardised, bestStandardised } = standardise(values);
  const x = new Float64Array(kept.length * d);
  for (const [row, i] of kept.entries()) x.set(data.observedPoints[i] as Float64Array, row * d);
  const training = prepareTrainingData(x, standardised, d, categorical);
  // A second start (shorter length-scales) is cheap while n is small and guards against a flat, too-smooth optimum.
  const params = fitKernelParams(training, { restarts: kept.length <= 60 ? 1 : 0 });

  let gp = new GaussianProcess(x, standardised, params, categorical);
  let best = bestStandardised;
  const believe = (point: Float64Array) => {
    const mean = gp.predict(point).mean;
    gp = gp.withObservation(point, mean);
    best = Math.min(best, mean);
  };
  for (const point of data.pendingPoints) believe(point);

  // The best observed points also start a local search: exploitation near the incumbent.
  const incumbents = [...kept.keys()]
    .sort((a, b) => (standardised[a] as number) - (standardised[b] as number))
    .slice(0, 2)
    .map((row) => x.slice(row * d, (row + 1) * d));
  const canonicalise = makeCanonicaliser(space);

  return {
    believe,
    next(index, taken) {
      const candidateSeed = hashSeeds(seed, index, STREAM);
      const candidates = Array.from({ length: SCREENING_CANDIDATES }, (_, k) =>
        quasiRandomPoint(k, d, candidateSeed),
      );
      return maximiseLogEI({
        gp,
        best,
        categorical,
        cardinality,
        canonicalise,
        isTaken: (point) => taken.has(parameterKey(space, space.decode(Array.from(point)))),
        candidates,
        extraStarts: incumbents,
        localSearches: LOCAL_SEARCHES,
      });
    },
  };
}

/** Row indices to fit on: all when few, else the best third and the most recent rest. */
function selectModelPoints(values: readonly number[]): number[] {
  const n = values.length;
  const all = [...values.keys()];
  if (n <= MAX_MODEL_POINTS) return all;
  const bestCount = Math.floor(MAX_MODEL_POINTS / 3);
  const best = [...all]
    .sort((a, b) => (values[a] as number) - (values[b] as number) || a - b)
    .slice(0, bestCount);
  const chosen = new Set(best);
  for (let i = n - 1; chosen.size < MAX_MODEL_POINTS; i--) chosen.add(i);
  return [...chosen].sort((a, b) => a - b);
}

function standardise(values: readonly number[]): { standardised: Float64Array; bestStandardised: number } {
  const n = values.length;
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / n;
  const scale = variance > 0 ? Math.sqrt(variance) : 1;
  const standardised = Float64Array.from(values, (v) => (v - mean) / scale);
  return { standardised, bestStandardised: Math.min(...standardised) };
}

/**
 * Snaps discrete coordinates to the encoded value they decode to, and sets
 * inactive ones to INACTIVE_COORDINATE, so a candidate looks to the GP
 * exactly like the trial it would become.
 */
function makeCanonicaliser(space: SearchSpace): (x: Float64Array) => Uint8Array {
  const d = space.dims.length;
  const needsDecode = space.conditional || space.dims.some((dim) => dim.kind !== "continuous");
  const none = new Uint8Array(d);
  return (x) => {
    for (let k = 0; k < d; k++) x[k] = Math.min(Math.max(x[k] as number, 0), 1);
    if (!needsDecode) return none;
    const values = space.decode(Array.from(x));
    const inactive = new Uint8Array(d);
    for (const dim of space.dims) {
      const value = Object.hasOwn(values, dim.name) ? values[dim.name] : undefined;
      if (value === undefined) {
        inactive[dim.index] = 1;
        x[dim.index] = INACTIVE_COORDINATE;
      } else if (dim.kind !== "continuous") {
        x[dim.index] = dim.encode(value);
      }
    }
    return inactive;
  };
}
