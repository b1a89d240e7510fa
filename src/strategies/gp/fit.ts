/**
 * Fits the kernel's hyperparameters by maximising log marginal likelihood +
 * log prior (see marginalLikelihood.ts) with box L-BFGS. A strategy keeps no
 * state, so there is no previous fit to warm-start from: each call starts
 * from fixed, deterministic points and keeps the best optimum.
 */

import { minimiseInBox } from "./boxLbfgs.js";
import { boxedObjective } from "./fitBounds.js";
import type { KernelParams } from "./kernel.js";
import {
  logPosteriorOfHyperparameters,
  MINIMUM_NOISE_VARIANCE,
  type TrainingData,
} from "./marginalLikelihood.js";

export interface FitOptions {
  /** Starting points beyond the first (λ = 1, s = 1, σ_n² = 1e-2); the second starts at shorter length-scales. */
  restarts?: number;
  maxIterations?: number;
}

/** Starting points as [λ, s, σ_n²]: Optuna's neutral default, then a wigglier, less noisy one. */
const STARTS: readonly (readonly [number, number, number])[] = [
  [1, 1, 1e-2],
  [10, 1, 1e-4],
  [0.1, 1, 1e-1],
];

export function fitKernelParams(data: TrainingData, options: FitOptions = {}): KernelParams {
  const { d } = data;
  const restarts = Math.min(options.restarts ?? 1, STARTS.length - 1);
  const { lower, upper } = boxedObjective(d);
  const objective = (theta: Float64Array) => {
    const { value, gradient } = logPosteriorOfHyperparameters(data, theta);
    for (let i = 0; i < gradient.length; i++) gradient[i] = -(gradient[i] as number);
    return { value: Number.isFinite(value) ? -value : Number.POSITIVE_INFINITY, gradient };
  };
  let best: { theta: Float64Array; value: number } | undefined;
  for (let start = 0; start <= restarts; start++) {
    const [lambda, signal, noise] = STARTS[start] as readonly [number, number, number];
    const theta0 = new Float64Array(d + 2);
    theta0.fill(Math.log(lambda), 0, d);
    theta0[d] = Math.log(signal);
    theta0[d + 1] = Math.log(noise - MINIMUM_NOISE_VARIANCE);
    const result = minimiseInBox(objective, theta0, {
      lower,
      upper,
      maxIterations: options.maxIterations ?? 50,
      // Optuna's GPSampler stops scipy's L-BFGS-B at gtol 1e-2: the fit need not be exact. The
      // gradient is a sum over n points, so the tolerance grows with n past 50 to keep large fits cheap.
      gradientTolerance: 1e-2 * Math.max(1, data.n / 50),
    });
    if (Number.isFinite(result.value) && (!best || result.value < best.value)) {
      best = { theta: result.x, value: result.value };
    }
  }
  return best ? paramsFromTheta(best.theta, d) : defaultKernelParams(d);
}

export function paramsFromTheta(theta: Float64Array, d: number): KernelParams {
  const inverseSquaredLengthScales = new Float64Array(d);
  for (let k = 0; k < d; k++) inverseSquaredLengthScales[k] = Math.exp(theta[k] as number);
  return {
    inverseSquaredLengthScales,
    signalVariance: Math.exp(theta[d] as number),
    noiseVariance: MINIMUM_NOISE_VARIANCE + Math.exp(theta[d + 1] as number),
  };
}

export function defaultKernelParams(d: number): KernelParams {
  return { inverseSquaredLengthScales: new Float64Array(d).fill(1), signalVariance: 1, noiseVariance: 1e-2 };
}
