/**
 * Maximises log EI over the unit cube: score a few thousand scrambled Sobol
 * points, run box L-BFGS from the best ones (and from the incumbent), then
 * take the best point that is not already taken. Optuna's GPSampler does the
 * same (optuna/_gp/optim_mixed.py): quasi-random screening, gradient-based
 * local search on numeric dimensions, exhaustive sweeps on categorical ones.
 */
import { minimiseInBox } from "./boxLbfgs.js";
import { logExpectedImprovement } from "./logExpectedImprovement.js";
import type { GaussianProcess } from "./posterior.js";

export interface AcquisitionProblem {
  gp: GaussianProcess;
  /** Incumbent (lowest standardised value, fantasies included). */
  best: number;
  /** Whether each dimension is categorical (no gradient; swept instead). */
  categorical: Uint8Array;
  /** Cardinality per dimension, 0 for continuous. */
  cardinality: Int32Array;
  /**
   * Moves a point to the representative of what it decodes to, in place
   * (discrete dimensions to their encoded value, inactive ones to the fixed
   * value), and returns the mask of dimensions that are inactive there.
   */
  canonicalise(x: Float64Array): Uint8Array;
  /** True when the point decodes to parameters already tried or already picked. */
  isTaken(x: Float64Array): boolean;
  /** Screening points, in the unit cube. */
  candidates: readonly Float64Array[];
  /** Extra starting points for local search (e.g. the best observed points). */
  extraStarts: readonly Float64Array[];
  /** How many of the best screened points start a local search. */
  localSearches: number;
}

interface Scored {
  x: Float64Array;
  score: number;
}

/** Sweep categorical values exhaustively up to this many; beyond it, try this many evenly spread values. */
const MAX_SWEEP_VALUES = 32;

export function maximiseLogEI(problem: AcquisitionProblem): Float64Array {
  const { gp, best } = problem;
  const score = (x: Float64Array): number => {
    const { mean, variance } = gp.predict(x);
    return logExpectedImprovement(mean, Math.sqrt(variance), best).value;
  };
  const screened: Scored[] = problem.candidates.map((candidate) => {
    const x = Float64Array.from(candidate);
    problem.canonicalise(x);
    return { x, score: score(x) };
  });
  screened.sort((a, b) => b.score - a.score);

  const starts = [...screened.slice(0, problem.localSearches).map((s) => s.x), ...problem.extraStarts];
  const refined: Scored[] = starts.map((start) => {
    const x = localSearch(problem, Float64Array.from(start));
    sweepDiscrete(problem, x, score);
    return { x, score: score(x) };
  });

  const pool = [...refined, ...screened].sort((a, b) => b.score - a.score);
  for (const candidate of pool)
    if (Number.isFinite(candidate.score) && !problem.isTaken(candidate.x)) return candidate.x;
  // Every candidate is taken (a small discrete space nearly exhausted): repeat the best.
  return (pool[0] as Scored).x;
}

/** Box L-BFGS on −log EI over the numeric, active dimensions; the rest held fixed. */
function localSearch(problem: AcquisitionProblem, start: Float64Array): Float64Array {
  const { gp, best, categorical } = problem;
  const d = start.length;
  const inactive = problem.canonicalise(start);
  const fixed = new Uint8Array(d);
  const lower = new Float64Array(d);
  const upper = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    fixed[k] = categorical[k] || inactive[k] || problem.cardinality[k] === 1 ? 1 : 0;
    lower[k] = fixed[k] ? (start[k] as number) : 0;
    upper[k] = fixed[k] ? (start[k] as number) : 1;
  }
  const objective = (x: Float64Array) => {
    const p = gp.predictWithGradient(x, fixed);
    const stdDev = Math.sqrt(p.variance);
    const ei = logExpectedImprovement(p.mean, stdDev, best);
    const gradient = new Float64Array(d);
    for (let k = 0; k < d; k++) {
      const byStdDev = (p.varianceGradient[k] as number) / (2 * stdDev);
      gradient[k] = -(ei.byMean * (p.meanGradient[k] as number) + ei.byStdDev * byStdDev);
    }
    return { value: -ei.value, gradient };
  };
  const result = minimiseInBox(objective, start, {
    lower,
    upper,
    maxIterations: 40,
    gradientTolerance: 1e-5,
    relativeTolerance: 1e-7,
  });
  problem.canonicalise(result.x);
  return result.x;
}

/**
 * One pass over the discrete dimensions: every value of a categorical one,
 * the neighbouring values of an ordinal one (rounding may have landed on the
 * wrong side of the optimum), keeping whichever scores best.
 */
function sweepDiscrete(
  problem: AcquisitionProblem,
  x: Float64Array,
  score: (x: Float64Array) => number,
): void {
  let current = score(x);
  const trial = new Float64Array(x.length);
  for (let k = 0; k < x.length; k++) {
    const n = problem.cardinality[k] as number;
    if (n <= 1) continue;
    const bin = Math.min(Math.floor((x[k] as number) * n), n - 1);
    const bins = problem.categorical[k] ? sweepBins(n) : [bin - 1, bin + 1].filter((b) => b >= 0 && b < n);
    for (const b of bins) {
      trial.set(x);
      trial[k] = (b + 0.5) / n;
      const inactive = problem.canonicalise(trial);
      if (inactive[k]) break;
      const s = score(trial);
      if (s > current) {
        current = s;
        x.set(trial);
      }
    }
  }
}

function sweepBins(n: number): number[] {
  const count = Math.min(n, MAX_SWEEP_VALUES);
  return Array.from({ length: count }, (_, i) => Math.floor(((i + 0.5) * n) / count));
}
