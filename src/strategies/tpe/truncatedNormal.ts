/**
 * Normal-distribution helpers for Parzen kernels truncated to [0, 1]: the
 * mass of an interval without cancellation in the tails, and sampling.
 */
import type { Rng } from "../../space/index.js";

const SQRT1_2 = Math.SQRT1_2;
export const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Complementary error function with relative error below 1.2e-7 everywhere
 * (Numerical Recipes, 2nd ed., §6.2, `erfcc`): relative, so tail masses stay
 * meaningful.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(a ≤ Z ≤ b) for a standard normal Z, computed in whichever tail keeps precision. */
export function standardNormalMass(a: number, b: number): number {
  if (a >= 0) return 0.5 * (erfc(a * SQRT1_2) - erfc(b * SQRT1_2));
  if (b <= 0) return 0.5 * (erfc(-b * SQRT1_2) - erfc(-a * SQRT1_2));
  return 1 - 0.5 * erfc(b * SQRT1_2) - 0.5 * erfc(-a * SQRT1_2);
}

/** log of the mass of N(mu, sigma) on [low, high]; falls back to density × width when the difference underflows. */
export function logNormalMass(low: number, high: number, mu: number, sigma: number): number {
  const mass = standardNormalMass((low - mu) / sigma, (high - mu) / sigma);
  if (mass > 1e-12) return Math.log(mass);
  const centre = (0.5 * (low + high) - mu) / sigma;
  return -0.5 * centre * centre - LOG_SQRT_2PI - Math.log(sigma) + Math.log(high - low);
}

/** A draw from N(mu, sigma) truncated to [0, 1], by rejection (acceptance ≥ 1/3 since mu ∈ [0, 1] and sigma ≤ 1). */
export function sampleTruncatedNormal(rng: Rng, mu: number, sigma: number): number {
  for (let attempt = 0; attempt < 64; attempt++) {
    const x = mu + sigma * rng.normal();
    if (x >= 0 && x <= 1) return x;
  }
  return Math.min(1, Math.max(0, mu));
}
