/**
 * The test functions, minimised, with their known optima, shared by the
 * strategy unit tests and the search benchmark. bench/search/optuna_arms.py
 * has the same formulas; the runner cross-checks a sample of Optuna's
 * reported values against these, so the two sides cannot drift apart.
 */

export function branin([x1 = 0, x2 = 0]: readonly number[]): number {
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
}

const H6_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H6_P = [
  [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
  [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
  [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
  [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
];
const H6_ALPHA = [1, 1.2, 3, 3.2];

/** Hartmann-6; `fidelity` < 1 lowers α₁ by 0.1·(1 − fidelity), as BoTorch's AugmentedHartmann. */
export function hartmann6(x: readonly number[], fidelity = 1): number {
  let total = 0;
  for (let i = 0; i < 4; i++) {
    let inner = 0;
    for (let j = 0; j < 6; j++) {
      inner += (H6_A[i]?.[j] ?? 0) * ((x[j] ?? 0) - (H6_P[i]?.[j] ?? 0)) ** 2;
    }
    const alpha = (H6_ALPHA[i] ?? 0) - (i === 0 ? 0.1 * (1 - fidelity) : 0);
    total -= alpha * Math.exp(-inner);
  }
  return total;
}

export function rosenbrock(x: readonly number[]): number {
  let total = 0;
  for (let i = 0; i + 1 < x.length; i++) {
    const a = x[i] ?? 0;
    const b = x[i + 1] ?? 0;
    total += 100 * (b - a * a) ** 2 + (1 - a) ** 2;
  }
  return total;
}

export function ackley(x: readonly number[]): number {
  const n = x.length;
  const squares = x.reduce((s, v) => s + v * v, 0) / n;
  const cosines = x.reduce((s, v) => s + Math.cos(2 * Math.PI * v), 0) / n;
  return -20 * Math.exp(-0.2 * Math.sqrt(squares)) - Math.exp(cosines) + 20 + Math.E;
}

export function levy(x: readonly number[]): number {
  const w = x.map((v) => 1 + (v - 1) / 4);
  const first = w[0] ?? 1;
  const last = w[w.length - 1] ?? 1;
  let total = Math.sin(Math.PI * first) ** 2;
  for (let i = 0; i + 1 < w.length; i++) {
    const wi = w[i] ?? 1;
    total += (wi - 1) ** 2 * (1 + 10 * Math.sin(Math.PI * wi + 1) ** 2);
  }
  return total + (last - 1) ** 2 * (1 + Math.sin(2 * Math.PI * last) ** 2);
}

export const OPTIMA = {
  branin: 0.39788735772973816,
  hartmann6: -3.3223680114155147,
  rosenbrock: 0,
  ackley: 0,
  levy: 0,
} as const;

/**
 * The multi-fidelity curve at step t of `maxStep`: Hartmann-6 at fidelity
 * t/maxStep plus a slow start of (1 − t/maxStep)·mean(x), so that early
 * steps rank trials imperfectly; at the last step it is Hartmann-6 exactly.
 */
export function hartmann6Curve(x: readonly number[], step: number, maxStep: number): number {
  const s = step / maxStep;
  const mean = x.reduce((a, v) => a + v, 0) / x.length;
  return hartmann6(x, s) + (1 - s) * mean;
}
