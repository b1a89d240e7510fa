/**
 * The objective of the GP hyperparameter fit: log marginal likelihood plus
 * log prior (a MAP estimate), with its analytic gradient, in the raw
 * parametrisation θ = [log λ_1..λ_d, log s, log(σ_n² − floor)].
 *
 * log p(y | θ) = −½ yᵀα − Σ log L_ii − (n/2) log 2π, α = K⁻¹y, and
 * ∂/∂θ_j = ½ tr((ααᵀ − K⁻¹) ∂K/∂θ_j) (Rasmussen & Williams 2006, eq. 5.9).
 *
 * Priors as Optuna's GPSampler (optuna/_gp/prior.py): −(0.1/λ + 0.1λ) on
 * each inverse squared length-scale (peaked at λ = 1, i.e. ℓ = 1 in the unit
 * cube), Gamma(2, 1) on s and Gamma(1.1, 30) on the noise variance, whose
 * floor 1e-6 keeps K well conditioned.
 */
import { SQRT5, squaredDifferences } from "./kernel.js";
import { choleskyWithJitter, inverseFromCholesky, solveLower, solveUpperTransposed } from "./linalg.js";

export const MINIMUM_NOISE_VARIANCE = 1e-6;
const LOG_2PI = Math.log(2 * Math.PI);

/** Pairwise squared differences per dimension, computed once per fit: the kernel changes, the data do not. */
export interface TrainingData {
  readonly n: number;
  readonly d: number;
  /** Row-major n×d, in the unit cube. */
  readonly x: Float64Array;
  /** Standardised targets. */
  readonly y: Float64Array;
  readonly categorical: Uint8Array;
  /** For each pair i < j in row order, d squared differences. */
  readonly pairDifferences: Float64Array;
}

export function prepareTrainingData(
  x: Float64Array,
  y: Float64Array,
  d: number,
  categorical: Uint8Array,
): TrainingData {
  const n = y.length;
  const pairDifferences = new Float64Array(((n * (n - 1)) / 2) * d);
  let p = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++, p++)
      squaredDifferences(x, i, x, j, d, categorical, pairDifferences, p * d);
  }
  return { n, d, x, y, categorical, pairDifferences };
}

export interface Objective {
  value: number;
  gradient: Float64Array;
}

/** Log marginal likelihood + log prior at raw θ, and its gradient; −Infinity when K cannot be factored. */
export function logPosteriorOfHyperparameters(data: TrainingData, theta: Float64Array): Objective {
  const { n, d, y, pairDifferences } = data;
  const lambda = new Float64Array(d);
  for (let k = 0; k < d; k++) lambda[k] = Math.exp(theta[k] as number);
  const signal = Math.exp(theta[d] as number);
  const noiseExcess = Math.exp(theta[d + 1] as number);
  const noise = MINIMUM_NOISE_VARIANCE + noiseExcess;

  // K and, per pair, dm/d(r²) for the length-scale gradient.
  const kernel = new Float64Array(n * n);
  const derivative = new Float64Array((n * (n - 1)) / 2);
  let p = 0;
  for (let i = 0; i < n; i++) {
    kernel[i * n + i] = signal + noise;
    for (let j = i + 1; j < n; j++, p++) {
      let r2 = 0;
      const offset = p * d;
      for (let k = 0; k < d; k++) r2 += (lambda[k] as number) * (pairDifferences[offset + k] as number);
      // matern52 and its derivative inlined: they share one sqrt and one exp, and this loop is hot.
      const r = Math.sqrt(r2);
      const decay = signal * Math.exp(-SQRT5 * r);
      const value = (1 + SQRT5 * r + (5 / 3) * r2) * decay;
      kernel[i * n + j] = value;
      kernel[j * n + i] = value;
      derivative[p] = (-5 / 6) * (1 + SQRT5 * r) * decay;
    }
  }

  let factor: Float64Array;
  try {
    factor = choleskyWithJitter(kernel, n).factor;
  } catch {
    return { value: Number.NEGATIVE_INFINITY, gradient: new Float64Array(d + 2) };
  }
  const alpha = solveUpperTransposed(
    factor,
    n,
    solveLower(factor, n, y, new Float64Array(n)),
    new Float64Array(n),
  );
  let logDeterminantHalf = 0;
  let fit = 0;
  for (let i = 0; i < n; i++) {
    logDeterminantHalf += Math.log(factor[i * n + i] as number);
    fit += (y[i] as number) * (alpha[i] as number);
  }
  const logLikelihood = -0.5 * fit - logDeterminantHalf - 0.5 * n * LOG_2PI;

  // Q = ααᵀ − K⁻¹; ∂/∂θ_j = ½ Σ_ij Q_ij ∂K_ij/∂θ_j.
  const inverse = inverseFromCholesky(factor, n);
  const gradient = new Float64Array(d + 2);
  let traceQ = 0;
  let signalTerm = 0;
  p = 0;
  for (let i = 0; i < n; i++) {
    const ai = alpha[i] as number;
    traceQ += ai * ai - (inverse[i * n + i] as number);
    signalTerm += 0.5 * (ai * ai - (inverse[i * n + i] as number)) * signal;
    for (let j = i + 1; j < n; j++, p++) {
      const q = ai * (alpha[j] as number) - (inverse[i * n + j] as number);
      // Off-diagonal pairs appear twice in the trace, so ½·2 = 1.
      signalTerm += q * (kernel[i * n + j] as number);
      const weight = q * (derivative[p] as number);
      const offset = p * d;
      for (let k = 0; k < d; k++)
        gradient[k] = (gradient[k] as number) + weight * (pairDifferences[offset + k] as number);
    }
  }
  for (let k = 0; k < d; k++) gradient[k] = (gradient[k] as number) * (lambda[k] as number);
  gradient[d] = signalTerm;
  gradient[d + 1] = 0.5 * traceQ * noiseExcess;

  // Log priors and their gradients with respect to θ.
  let logPrior = 0;
  for (let k = 0; k < d; k++) {
    const l = lambda[k] as number;
    logPrior -= 0.1 / l + 0.1 * l;
    gradient[k] = (gradient[k] as number) + 0.1 / l - 0.1 * l;
  }
  logPrior += Math.log(signal) - signal;
  gradient[d] = (gradient[d] as number) + 1 - signal;
  logPrior += 0.1 * Math.log(noise) - 30 * noise;
  gradient[d + 1] = (gradient[d + 1] as number) + (0.1 / noise - 30) * noiseExcess;

  return { value: logLikelihood + logPrior, gradient };
}
