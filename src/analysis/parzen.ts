/**
 * Parzen (kernel) density estimates on a grid of points 0..size-1, from how
 * many trials fell on each point, and the Pearson divergence between two of
 * them: the pieces of PED-ANOVA (Watanabe et al., IJCAI 2023, "PED-ANOVA:
 * Efficiently Quantifying Hyperparameter Importance in Arbitrary Subspaces",
 * §4). As in Optuna's PedAnovaImportanceEvaluator: ordered grids get
 * Gaussian kernels with Scott's bandwidth, cut to the grid, categories get
 * counts smoothed towards uniform, and both mix in a wide prior kernel of
 * weight 1 so that an empty point never has density 0.
 */
import { normalCdf } from "../strategies/gp/logExpectedImprovement.js";

const PRIOR_WEIGHT = 1;
/** Smallest bandwidth, in grid steps: 1.64 sigma (90%) of a kernel stays within half a step of its point. */
const MIN_BANDWIDTH = 0.5 / 1.64;
/** Keeps ratios finite where both densities are all but zero. */
const DENSITY_FLOOR = 1e-12;

/** Σ q (p/q − 1)², the divergence PED-ANOVA measures importance with. */
export function pearsonDivergence(p: Float64Array, q: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < p.length; j++) {
    const pj = (p[j] as number) + DENSITY_FLOOR;
    const qj = (q[j] as number) + DENSITY_FLOOR;
    const ratio = pj / qj - 1;
    sum += qj * ratio * ratio;
  }
  return sum;
}

/** Probability of each grid point: kernels at the observed points, weighted by their counts, plus the prior. */
export function ordinalDensity(counts: Float64Array): Float64Array {
  const size = counts.length;
  const total = sum(counts);
  const density = new Float64Array(size);
  const priorShare = total > 0 ? PRIOR_WEIGHT / (total + PRIOR_WEIGHT) : 1;
  addPriorKernel(density, priorShare);
  if (total === 0) return density;
  // Every data kernel has the same bandwidth and sits on a grid point, so the
  // mass it puts on point j depends on j − k alone: work out each offset once.
  const sigma = scottBandwidth(counts, total);
  const massAt = offsetMasses(size, sigma);
  for (let k = 0; k < size; k++) {
    const count = counts[k] as number;
    if (count === 0) continue;
    let inside = 0;
    for (let j = 0; j < size; j++) inside += massAt(j - k);
    const share = count / (total + PRIOR_WEIGHT) / inside;
    for (let j = 0; j < size; j++) density[j] = (density[j] as number) + share * massAt(j - k);
  }
  return density;
}

/**
 * Probability of each category, with Optuna's smoothing: a kernel per
 * observed category puts 1 on it and prior/kernels on every category, and
 * the prior kernel is uniform.
 */
export function categoricalDensity(counts: Float64Array): Float64Array {
  const size = counts.length;
  const total = sum(counts);
  if (total === 0) return new Float64Array(size).fill(1 / size);
  let observed = 0;
  for (const c of counts) if (c > 0) observed += 1;
  const floor = PRIOR_WEIGHT / (observed + 1);
  const rowTotal = 1 + size * floor;
  const weightOf = (count: number): number => count / (total + PRIOR_WEIGHT);
  const fromEveryKernel = (weightOf(total) * floor) / rowTotal + weightOf(PRIOR_WEIGHT) / size;
  return counts.map((c) => fromEveryKernel + weightOf(c) / rowTotal);
}

/**
 * Scott's rule, 1.059 · min(sd, IQR/1.34) · n^(−1/5), on grid units with
 * counts as weights; the quartiles are taken as Optuna takes them, so that
 * the same counts give the same bandwidth.
 */
function scottBandwidth(counts: Float64Array, total: number): number {
  let mean = 0;
  for (let k = 0; k < counts.length; k++) mean += k * (counts[k] as number);
  mean /= total;
  let squares = 0;
  for (let k = 0; k < counts.length; k++) squares += (counts[k] as number) * (k - mean) ** 2;
  const sd = Math.sqrt(squares / Math.max(1, total - 1));
  const lowerTarget = Math.floor(total / 4);
  const upperTarget = Math.floor((total * 3) / 4);
  let lower = -1;
  let upper = -1;
  let last = 0;
  let cumulative = 0;
  for (let k = 0; k < counts.length; k++) {
    const count = counts[k] as number;
    if (count === 0) continue;
    cumulative += count;
    last = k;
    if (lower < 0 && cumulative >= lowerTarget) lower = k;
    if (upper < 0 && cumulative > upperTarget) upper = k;
  }
  const iqr = (upper < 0 ? last : upper) - lower;
  return Math.max(1.059 * Math.min(iqr / 1.34, sd) * total ** -0.2, MIN_BANDWIDTH);
}

/**
 * The mass a Gaussian of this bandwidth centred on a grid point puts on the
 * point `offset` steps away. Symmetric in the offset, and taken from the
 * upper tail, Φ(−z), where it keeps its digits.
 */
function offsetMasses(size: number, sigma: number): (offset: number) => number {
  const upperTail = Float64Array.from({ length: size + 1 }, (_, d) => normalCdf(-(d - 0.5) / sigma));
  const masses = Float64Array.from({ length: size }, (_, d) =>
    d === 0 ? 1 - 2 * (upperTail[1] as number) : (upperTail[d] as number) - (upperTail[d + 1] as number),
  );
  return (offset) => masses[offset < 0 ? -offset : offset] as number;
}

/**
 * The prior: a Gaussian centred on the grid with a bandwidth of its whole
 * width, cut to the grid (each point owns ± half a step). Being that wide,
 * it never reaches the tails, so differences of Φ are accurate.
 */
function addPriorKernel(density: Float64Array, weight: number): void {
  const size = density.length;
  const mu = (size - 1) / 2;
  const below = Float64Array.from({ length: size + 1 }, (_, j) => normalCdf((j - 0.5 - mu) / size));
  const inside = (below[size] as number) - (below[0] as number);
  for (let j = 0; j < size; j++) {
    const mass = (below[j + 1] as number) - (below[j] as number);
    density[j] = (density[j] as number) + (weight * mass) / inside;
  }
}

function sum(values: Float64Array): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
