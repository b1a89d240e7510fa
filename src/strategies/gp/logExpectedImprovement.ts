/**
 * Log expected improvement that stays finite and accurate where EI itself
 * underflows (Ament, Daulton, Eriksson, Balandat & Bakshy 2023, "Unexpected
 * Improvements to Expected Improvement for Bayesian Optimization", eq. 9).
 *
 * For minimisation with incumbent f*, z = (f* − μ)/σ and EI = σ·h(z), where
 * h(z) = φ(z) + zΦ(z). Then
 *   log h(z) = log(φ(z) + zΦ(z))                                    for z > −1,
 *            = −z²/2 − c₁ + log1mexp(log(erfcx(−z/√2)·|z|) + c₂)      for −1/√ε < z ≤ −1,
 *            = −z²/2 − c₁ − 2 log|z|                                 below,
 * with c₁ = log(2π)/2 and c₂ = log(π/2)/2.
 */

const C1 = 0.5 * Math.log(2 * Math.PI);
const C2 = 0.5 * Math.log(Math.PI / 2);
const SQRT2 = Math.SQRT2;
const INV_SQRT_PI = 1 / Math.sqrt(Math.PI);
const ASYMPTOTIC_THRESHOLD = -1 / Math.sqrt(Number.EPSILON);

/** Standard normal density. */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z - C1);
}

/** Standard normal distribution function, Φ(z) = erfc(−z/√2)/2, accurate in both tails. */
export function normalCdf(z: number): number {
  const t = -z / SQRT2;
  return t >= 0 ? 0.5 * Math.exp(-t * t) * erfcx(t) : 1 - 0.5 * Math.exp(-t * t) * erfcx(-t);
}

/**
 * Scaled complementary error function erfcx(x) = e^{x²} erfc(x), for x ≥ 0:
 * below 2 from the all-positive series erf(x) = (2/√π) e^{−x²} Σ 2ⁿx^{2n+1}/(2n+1)!!
 * (Abramowitz & Stegun 7.1.6), at and above 2 from Laplace's continued fraction
 * (A&S 7.1.14) by Lentz's method; both converge to rounding well inside their range.
 */
export function erfcx(x: number): number {
  if (x < 0) return 2 * Math.exp(x * x) - erfcx(-x);
  if (x < 2) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    return Math.exp(x2) - 2 * INV_SQRT_PI * sum;
  }
  // erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))).
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return INV_SQRT_PI / f;
}

/** log(1 − eᵃ) for a < 0 (Mächler 2012's split at −log 2). */
function log1mexp(a: number): number {
  return a > -Math.LN2 ? Math.log(-Math.expm1(a)) : Math.log1p(-Math.exp(a));
}

export interface LogH {
  value: number;
  /** d log h / dz = Φ(z)/h(z) > 0. */
  derivative: number;
}

/** log h(z) and its derivative, stable for every finite z. */
export function logH(z: number): LogH {
  if (z > -1) {
    const cdf = normalCdf(z);
    const h = normalPdf(z) + z * cdf;
    return { value: Math.log(h), derivative: cdf / h };
  }
  if (z > ASYMPTOTIC_THRESHOLD) {
    const t = -z;
    // Mills ratio times t: tR = t·Φ(−t)/φ(t) = t·√(π/2)·erfcx(t/√2), just below 1 in the far tail.
    const logTR = Math.log(erfcx(t / SQRT2) * t) + C2;
    const logOneMinusTR = log1mexp(logTR);
    const value = -0.5 * z * z - C1 + logOneMinusTR;
    // Φ(z)/h(z) = R/(1 − tR).
    const derivative = Math.exp(logTR - logOneMinusTR) / t;
    return { value, derivative };
  }
  return { value: -0.5 * z * z - C1 - 2 * Math.log(-z), derivative: -z - 2 / z };
}

export interface LogEI {
  value: number;
  /** ∂ log EI / ∂μ. */
  byMean: number;
  /** ∂ log EI / ∂σ. */
  byStdDev: number;
}

/** log EI of improving on `best` (minimisation) for a Gaussian N(mean, stdDev²). */
export function logExpectedImprovement(mean: number, stdDev: number, best: number): LogEI {
  const z = (best - mean) / stdDev;
  const h = logH(z);
  return {
    value: h.value + Math.log(stdDev),
    byMean: -h.derivative / stdDev,
    byStdDev: (1 - z * h.derivative) / stdDev,
  };
}
