/**
 * CMA-ES's distribution and its update after one generation, following
 * Hansen, "The CMA Evolution Strategy: A Tutorial" (2016), with the default
 * strategy parameters of its Table 1 (positive recombination weights only):
 * cumulative step-size adaptation (CSA), rank-one and rank-μ covariance
 * updates. Works in the unit cube; the caller keeps samples inside it.
 */
import type { Rng } from "../space/index.js";
import { symmetricEigen } from "./gp/linalg.js";

export interface CmaParameters {
  readonly d: number;
  /** Population size λ = 4 + ⌊3 ln d⌋. */
  readonly lambda: number;
  /** Parents μ = ⌊λ/2⌋. */
  readonly mu: number;
  /** w_i ∝ ln((λ+1)/2) − ln i, i = 1..μ, summing to 1. */
  readonly weights: Float64Array;
  readonly muEff: number;
  readonly cSigma: number;
  readonly dSigma: number;
  readonly cC: number;
  readonly c1: number;
  readonly cMu: number;
  /** E‖N(0, I)‖ ≈ √d (1 − 1/(4d) + 1/(21d²)). */
  readonly chiN: number;
}

export function cmaParameters(d: number): CmaParameters {
  const lambda = 4 + Math.floor(3 * Math.log(d));
  const mu = Math.floor(lambda / 2);
  const raw = Float64Array.from({ length: mu }, (_, i) => Math.log((lambda + 1) / 2) - Math.log(i + 1));
  const total = raw.reduce((sum, w) => sum + w, 0);
  const weights = raw.map((w) => w / total);
  const muEff = 1 / weights.reduce((sum, w) => sum + w * w, 0);
  const cSigma = (muEff + 2) / (d + muEff + 5);
  const dSigma = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (d + 1)) - 1) + cSigma;
  const cC = (4 + muEff / d) / (d + 4 + (2 * muEff) / d);
  const c1 = 2 / ((d + 1.3) ** 2 + muEff);
  const cMu = Math.min(1 - c1, (2 * (muEff - 2 + 1 / muEff)) / ((d + 2) ** 2 + muEff));
  const chiN = Math.sqrt(d) * (1 - 1 / (4 * d) + 1 / (21 * d * d));
  return { d, lambda, mu, weights, muEff, cSigma, dSigma, cC, c1, cMu, chiN };
}

export interface CmaState {
  readonly mean: Float64Array;
  readonly sigma: number;
  /** Row-major d×d covariance C. */
  readonly covariance: Float64Array;
  readonly pathC: Float64Array;
  readonly pathSigma: Float64Array;
  /** Generations folded in so far. */
  readonly generation: number;
  /** C = B diag(D²) Bᵀ: B's columns are eigenvectors, D the square roots of the eigenvalues. */
  readonly basis: Float64Array;
  readonly scales: Float64Array;
}

export function initialCmaState(mean: Float64Array, sigma: number): CmaState {
  const d = mean.length;
  const identity = new Float64Array(d * d);
  for (let i = 0; i < d; i++) identity[i * d + i] = 1;
  return {
    mean: Float64Array.from(mean),
    sigma,
    covariance: identity,
    pathC: new Float64Array(d),
    pathSigma: new Float64Array(d),
    generation: 0,
    basis: Float64Array.from(identity),
    scales: new Float64Array(d).fill(1),
  };
}

/** m + σ B D z, z standard normal: one draw from the search distribution. */
export function sampleCma(state: CmaState, rng: Rng): Float64Array {
  const d = state.mean.length;
  const scaled = Float64Array.from({ length: d }, (_, k) => (state.scales[k] as number) * rng.normal());
  const x = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let sum = 0;
    for (let k = 0; k < d; k++) sum += (state.basis[i * d + k] as number) * (scaled[k] as number);
    x[i] = (state.mean[i] as number) + state.sigma * sum;
  }
  return x;
}

/** A generation's solutions and values (lower is better; non-finite values rank last). */
export interface Evaluated {
  x: Float64Array;
  value: number;
}

/** The distribution after one generation (Hansen 2016, eqs. 39–47 with c_m = 1). */
export function updateCma(state: CmaState, p: CmaParameters, population: readonly Evaluated[]): CmaState {
  const { d } = p;
  const ranked = [...population].sort((a, b) => rankValue(a.value) - rankValue(b.value));
  const parents = ranked.slice(0, p.mu);
  const steps = parents.map((s) =>
    Float64Array.from(s.x, (xi, k) => (xi - (state.mean[k] as number)) / state.sigma),
  );
  const weights = p.weights.slice(0, steps.length);
  const weightTotal = weights.reduce((sum, w) => sum + w, 0);
  const stepW = new Float64Array(d);
  steps.forEach((y, i) => {
    const w = (weights[i] as number) / weightTotal;
    for (let k = 0; k < d; k++) stepW[k] = (stepW[k] as number) + w * (y[k] as number);
  });
  const mean = Float64Array.from(state.mean, (m, k) => m + state.sigma * (stepW[k] as number));

  // C^{-1/2} y_w = B D⁻¹ Bᵀ y_w.
  const whitened = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    let projection = 0;
    for (let i = 0; i < d; i++) projection += (state.basis[i * d + k] as number) * (stepW[i] as number);
    projection /= state.scales[k] as number;
    for (let i = 0; i < d; i++)
      whitened[i] = (whitened[i] as number) + (state.basis[i * d + k] as number) * projection;
  }
  const sigmaFactor = Math.sqrt(p.cSigma * (2 - p.cSigma) * p.muEff);
  const pathSigma = Float64Array.from(
    state.pathSigma,
    (v, k) => (1 - p.cSigma) * v + sigmaFactor * (whitened[k] as number),
  );
  const pathSigmaNorm = Math.hypot(...pathSigma);
  const sigma = clampSigma(state.sigma * Math.exp((p.cSigma / p.dSigma) * (pathSigmaNorm / p.chiN - 1)));

  // h_σ stalls p_c while the step size is still growing fast (Hansen 2016, footnote to eq. 45).
  const generation = state.generation + 1;
  const stall =
    pathSigmaNorm / Math.sqrt(1 - (1 - p.cSigma) ** (2 * generation)) >= (1.4 + 2 / (d + 1)) * p.chiN;
  const hSigma = stall ? 0 : 1;
  const cFactor = hSigma * Math.sqrt(p.cC * (2 - p.cC) * p.muEff);
  const pathC = Float64Array.from(state.pathC, (v, k) => (1 - p.cC) * v + cFactor * (stepW[k] as number));
  const deltaH = (1 - hSigma) * p.cC * (2 - p.cC);
  const decay = 1 + p.c1 * deltaH - p.c1 - p.cMu;
  const covariance = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let rankMu = 0;
      steps.forEach((y, s) => {
        rankMu += ((weights[s] as number) / weightTotal) * (y[i] as number) * (y[j] as number);
      });
      const value =
        decay * (state.covariance[i * d + j] as number) +
        p.c1 * (pathC[i] as number) * (pathC[j] as number) +
        p.cMu * rankMu;
      covariance[i * d + j] = value;
      covariance[j * d + i] = value;
    }
  }
  const { basis, scales } = decompose(covariance, d);
  return { mean, sigma, covariance, pathC, pathSigma, generation, basis, scales };
}

function rankValue(value: number): number {
  return Number.isFinite(value) ? value : Number.POSITIVE_INFINITY;
}

/** σ far below the resolution of a double in the unit cube, or far above the cube, only breaks things. */
function clampSigma(sigma: number): number {
  return Math.min(Math.max(sigma, 1e-15), 10);
}

function decompose(covariance: Float64Array, d: number): { basis: Float64Array; scales: Float64Array } {
  const { values, vectors } = symmetricEigen(covariance, d);
  // Rounding can push a tiny eigenvalue below zero; a floor keeps C⁻¹ᐟ² finite.
  const largest = Math.max(...values, 1e-300);
  const scales = values.map((v) => Math.sqrt(Math.max(v, largest * 1e-14)));
  return { basis: vectors, scales };
}
