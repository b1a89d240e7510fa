/**
 * Box for the raw hyperparameters θ = [log λ_1..λ_d, log s, log(σ_n² − floor)].
 * The priors already keep the optimum well inside; the box only stops a bad
 * line-search step from overflowing exp() or making K numerically singular.
 */
export function boxedObjective(d: number): { lower: Float64Array; upper: Float64Array } {
  const lower = new Float64Array(d + 2);
  const upper = new Float64Array(d + 2);
  // λ in [1e-4, 1e4]: length-scales from 0.01 to 100 unit cubes.
  lower.fill(Math.log(1e-4), 0, d);
  upper.fill(Math.log(1e4), 0, d);
  lower[d] = Math.log(1e-3);
  upper[d] = Math.log(1e2);
  lower[d + 1] = Math.log(1e-10);
  upper[d + 1] = Math.log(10);
  return { lower, upper };
}
