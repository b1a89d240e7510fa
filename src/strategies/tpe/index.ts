/**
 * TPE: the tree-structured Parzen estimator (Bergstra et al. 2011), in the
 * multivariate form Optuna uses with `multivariate=True` (Falkner et al.
 * 2018; Watanabe 2023), with the per-kernel bandwidths of its univariate
 * default (see parzen.ts). After the start-up trials (scrambled Sobol, which
 * covers the space more evenly than random), each suggestion splits the
 * finished trials into the best `gamma(n)` and the rest, fits a joint
 * Parzen estimator to each, l(x) and g(x), draws 24 candidates from l and
 * keeps the one with the largest l(x)/g(x).
 *
 * Pure: the answer depends on the seed, the indices asked for and the history
 * only; the job's memo only saves refolding unchanged trials (fold.ts). Pending trials, and the earlier suggestions of the
 * same batch, join the bad group (a constant liar), so parallel trials
 * spread out instead of piling onto one point.
 */
import type { ParameterValues } from "../../api/index.js";
import { createRng, type SearchSpace } from "../../space/index.js";
import { memoized, type Strategy } from "../types.js";
import { boundedKernels } from "./boundedKernels.js";
import { firstFresh, remember, type SeenParameters, startupSuggestion, uniformPoints } from "./distinct.js";
import { TrialFold } from "./fold.js";
import type { ObservedTrial } from "./observations.js";
import { fitParzenEstimator, logDensity, type ParzenEstimator, sampleParzenEstimator } from "./parzen.js";
import { type Split, splitByState } from "./split.js";

/** Optuna's `n_ei_candidates` default. */
export const EI_CANDIDATES = 24;
/** Optuna's `n_startup_trials` default; `search.startupTrials` overrides it. */
export const DEFAULT_STARTUP_TRIALS = 10;
/** Keeps TPE's per-trial streams apart from Random's `(seed, index)` streams. */
const TPE_STREAM = 0x7e5;
/** Extra rounds of candidates when every one so far repeats a pending trial (small discrete spaces). */
const EXTRA_ROUNDS = 3;

export const tpeStrategy: Strategy = {
  name: "TPE",
  suggest({ space, history, indices, seed, objectives, spec, memo }) {
    const fold = memoized(memo, "TPE", () => new TrialFold());
    const { finished, pending, seen } = fold.observe(space, history, objectives);
    const startupTrials = spec.search.startupTrials ?? DEFAULT_STARTUP_TRIALS;
    const modelled = finished.length >= startupTrials;
    // The good group depends on the finished trials only, so one batch shares it.
    const below = modelled ? fold.below(finished, objectives.length) : new Set<ObservedTrial>();
    return indices.map((index) => {
      const rng = createRng(seed, index, TPE_STREAM);
      const values = modelled
        ? modelSuggestion(space, splitByState(finished, pending, objectives.length, below), rng, seen)
        : startupSuggestion(space, index, seed, rng, seen);
      remember(space, values, seen);
      // The liar sees this suggestion when the next index of the batch is chosen.
      pending.push({
        index,
        point: Float64Array.from(space.encode(values)),
        state: "pending",
        losses: [],
        step: 0,
      });
      return values;
    });
  },
};

function modelSuggestion(
  space: SearchSpace,
  split: Split,
  rng: ReturnType<typeof createRng>,
  seen: SeenParameters,
): ParameterValues {
  const below = fitParzenEstimator(
    space,
    split.below.map((t) => t.point),
    split.belowWeights,
  );
  const bounded = boundedKernels(split.above, split.aboveWeights, split.pendingInAbove);
  const above = fitParzenEstimator(space, bounded.points, bounded.weights);
  const scratch = new Float64Array(Math.max(below.kernels, above.kernels));
  let best: ParameterValues | undefined;
  for (let round = 0; round <= EXTRA_ROUNDS; round++) {
    const ranked = rankCandidates(space, below, above, rng, scratch);
    best ??= ranked[0];
    const fresh = firstFresh(space, ranked, seen);
    if (fresh) return fresh;
  }
  return firstFresh(space, uniformPoints(space, rng, 32), seen) ?? (best as ParameterValues);
}

/** EI_CANDIDATES draws from l(x), best l(x)/g(x) first (Bergstra et al. 2011, §4.1: EI is monotone in l/g). */
function rankCandidates(
  space: SearchSpace,
  below: ParzenEstimator,
  above: ParzenEstimator,
  rng: ReturnType<typeof createRng>,
  scratch: Float64Array,
): ParameterValues[] {
  const scored: { values: ParameterValues; score: number }[] = [];
  for (let c = 0; c < EI_CANDIDATES; c++) {
    const values = space.decode(sampleParzenEstimator(below, rng));
    // Re-encoding snaps ordinal values to their bins and marks inactive parameters NaN.
    const x = Float64Array.from(space.encode(values));
    const score = logDensity(below, x, scratch) - logDensity(above, x, scratch);
    scored.push({ values, score: Number.isNaN(score) ? Number.NEGATIVE_INFINITY : score });
  }
  // A stable sort: equal scores keep their draw order, so the result is deterministic.
  return scored.sort((a, b) => (b.score > a.score ? 1 : b.score < a.score ? -1 : 0)).map((s) => s.values);
}
