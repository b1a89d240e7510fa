/**
 * Matérn-5/2 kernel with one length-scale per dimension (ARD), as Optuna's
 * GPSampler: k(x, x') = s · m(r), r² = Σ_k λ_k δ_k², where λ_k = 1/ℓ_k² is
 * the inverse squared length-scale and δ_k = x_k − x'_k for numeric
 * dimensions, and δ_k = [x_k ≠ x'_k] (Hamming, 0 or 1) for categorical ones,
 * whose encoded positions carry no order.
 * m(r) = (1 + √5 r + 5r²/3) e^{−√5 r} (Rasmussen & Williams 2006, eq. 4.17).
 */

export const SQRT5 = Math.sqrt(5);

export interface KernelParams {
  /** λ_k = 1/ℓ_k², one per dimension. */
  readonly inverseSquaredLengthScales: Float64Array;
  /** s, the prior variance of the latent function. */
  readonly signalVariance: number;
  /** Observation noise variance, added to the diagonal. */
  readonly noiseVariance: number;
}

/** m as a function of r². */
export function matern52(r2: number): number {
  const r = Math.sqrt(r2);
  return (1 + SQRT5 * r + (5 / 3) * r2) * Math.exp(-SQRT5 * r);
}

/** dm/d(r²) = −(5/6)(1 + √5 r) e^{−√5 r}: finite at r = 0, so gradients need no special case. */
export function matern52DerivativeBySquaredDistance(r2: number): number {
  const r = Math.sqrt(r2);
  return (-5 / 6) * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
}

/** δ_k² between row i of `a` and row j of `b` (both row-major with `d` columns), in `out`. */
export function squaredDifferences(
  a: Float64Array,
  i: number,
  b: Float64Array,
  j: number,
  d: number,
  categorical: Uint8Array,
  out: Float64Array,
  outOffset = 0,
): void {
  for (let k = 0; k < d; k++) {
    const delta = (a[i * d + k] as number) - (b[j * d + k] as number);
    out[outOffset + k] = categorical[k] ? (delta === 0 ? 0 : 1) : delta * delta;
  }
}
