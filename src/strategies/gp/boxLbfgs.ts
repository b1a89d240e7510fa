/**
 * Minimises a smooth function over a box with a projected L-BFGS: the
 * two-loop recursion (Nocedal & Wright 2006, alg. 7.4) on the free variables,
 * variables at a bound with the gradient pushing outward held fixed, and a
 * backtracking Armijo search along the projected path. Simpler than
 * L-BFGS-B's Cauchy point, and enough for the GP's hyperparameters and
 * acquisition function, whose optima rarely sit on many bounds at once.
 */

export type ValueAndGradient = (x: Float64Array) => { value: number; gradient: Float64Array };

export interface BoxLbfgsOptions {
  lower: ArrayLike<number>;
  upper: ArrayLike<number>;
  maxIterations: number;
  /** Stop when every component of the projected gradient is below this. */
  gradientTolerance: number;
  /** Stop when an iteration improves f by less than this, relatively. */
  relativeTolerance?: number;
  memory?: number;
}

export interface BoxLbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  evaluations: number;
}

const ARMIJO = 1e-4;

export function minimiseInBox(
  f: ValueAndGradient,
  start: ArrayLike<number>,
  options: BoxLbfgsOptions,
): BoxLbfgsResult {
  const { lower, upper, maxIterations, gradientTolerance } = options;
  const relativeTolerance = options.relativeTolerance ?? 1e-9;
  const memory = options.memory ?? 8;
  const n = start.length;
  const project = (v: Float64Array): Float64Array => {
    for (let i = 0; i < n; i++)
      v[i] = Math.min(Math.max(v[i] as number, lower[i] as number), upper[i] as number);
    return v;
  };
  let x = project(Float64Array.from(start));
  let current = f(x);
  let evaluations = 1;
  const sHistory: Float64Array[] = [];
  const yHistory: Float64Array[] = [];
  const rhoHistory: number[] = [];
  let iterations = 0;
  if (!Number.isFinite(current.value)) return { x, value: current.value, iterations, evaluations };

  for (; iterations < maxIterations; iterations++) {
    const g = current.gradient;
    // Variables pinned at a bound by a gradient that points out of the box.
    const free = new Uint8Array(n);
    let projectedGradientNorm = 0;
    for (let i = 0; i < n; i++) {
      const gi = g[i] as number;
      const atLower = (x[i] as number) <= (lower[i] as number) && gi > 0;
      const atUpper = (x[i] as number) >= (upper[i] as number) && gi < 0;
      free[i] = atLower || atUpper ? 0 : 1;
      if (free[i]) projectedGradientNorm = Math.max(projectedGradientNorm, Math.abs(gi));
    }
    if (projectedGradientNorm < gradientTolerance) break;

    const direction = twoLoopDirection(g, free, sHistory, yHistory, rhoHistory);
    let slope = 0;
    for (let i = 0; i < n; i++) slope += (direction[i] as number) * (g[i] as number);
    if (!(slope < 0)) {
      // Not a descent direction (curvature pairs gone stale): restart from steepest descent.
      sHistory.length = 0;
      yHistory.length = 0;
      rhoHistory.length = 0;
      for (let i = 0; i < n; i++) direction[i] = free[i] ? -(g[i] as number) : 0;
    }
    let step = sHistory.length === 0 ? Math.min(1, 1 / Math.max(projectedGradientNorm, 1e-12)) : 1;
    let accepted: { x: Float64Array; value: number; gradient: Float64Array } | undefined;
    for (let trial = 0; trial < 30; trial++, step *= 0.5) {
      const candidate = new Float64Array(n);
      for (let i = 0; i < n; i++) candidate[i] = (x[i] as number) + step * (direction[i] as number);
      project(candidate);
      let decrease = 0;
      for (let i = 0; i < n; i++)
        decrease += (g[i] as number) * ((candidate[i] as number) - (x[i] as number));
      if (decrease === 0) break;
      const next = f(candidate);
      evaluations++;
      if (Number.isFinite(next.value) && next.value <= current.value + ARMIJO * decrease) {
        accepted = { x: candidate, ...next };
        break;
      }
    }
    if (!accepted) break;

    const s = new Float64Array(n);
    const y = new Float64Array(n);
    let sy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = (accepted.x[i] as number) - (x[i] as number);
      y[i] = (accepted.gradient[i] as number) - (g[i] as number);
      sy += (s[i] as number) * (y[i] as number);
    }
    if (sy > 1e-12) {
      sHistory.push(s);
      yHistory.push(y);
      rhoHistory.push(1 / sy);
      if (sHistory.length > memory) {
        sHistory.shift();
        yHistory.shift();
        rhoHistory.shift();
      }
    }
    const improvement = current.value - accepted.value;
    x = accepted.x;
    current = { value: accepted.value, gradient: accepted.gradient };
    if (improvement <= relativeTolerance * Math.max(1, Math.abs(current.value))) {
      iterations++;
      break;
    }
  }
  return { x, value: current.value, iterations, evaluations };
}

/** −H g restricted to the free variables, H the L-BFGS inverse-Hessian estimate. */
function twoLoopDirection(
  g: Float64Array,
  free: Uint8Array,
  sHistory: readonly Float64Array[],
  yHistory: readonly Float64Array[],
  rhoHistory: readonly number[],
): Float64Array {
  const n = g.length;
  const q = new Float64Array(n);
  for (let i = 0; i < n; i++) q[i] = free[i] ? (g[i] as number) : 0;
  const m = sHistory.length;
  const alphas = new Float64Array(m);
  for (let k = m - 1; k >= 0; k--) {
    const s = sHistory[k] as Float64Array;
    const y = yHistory[k] as Float64Array;
    let dot = 0;
    for (let i = 0; i < n; i++) if (free[i]) dot += (s[i] as number) * (q[i] as number);
    const a = (rhoHistory[k] as number) * dot;
    alphas[k] = a;
    for (let i = 0; i < n; i++) if (free[i]) q[i] = (q[i] as number) - a * (y[i] as number);
  }
  if (m > 0) {
    const s = sHistory[m - 1] as Float64Array;
    const y = yHistory[m - 1] as Float64Array;
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      sy += (s[i] as number) * (y[i] as number);
      yy += (y[i] as number) * (y[i] as number);
    }
    const gamma = yy > 0 ? sy / yy : 1;
    for (let i = 0; i < n; i++) q[i] = (q[i] as number) * gamma;
  }
  for (let k = 0; k < m; k++) {
    const s = sHistory[k] as Float64Array;
    const y = yHistory[k] as Float64Array;
    let dot = 0;
    for (let i = 0; i < n; i++) if (free[i]) dot += (y[i] as number) * (q[i] as number);
    const b = (rhoHistory[k] as number) * dot;
    for (let i = 0; i < n; i++)
      if (free[i]) q[i] = (q[i] as number) + ((alphas[k] as number) - b) * (s[i] as number);
  }
  for (let i = 0; i < n; i++) q[i] = free[i] ? -(q[i] as number) : 0;
  return q;
}
