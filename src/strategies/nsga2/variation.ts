/**
 * NSGA-II's variation operators in the unit cube (Deb et al. 2002, §V, and
 * Deb & Agrawal 1995): simulated binary crossover and polynomial mutation
 * for numeric coordinates, uniform crossover and uniform resampling for
 * categorical ones. Inactive coordinates (NaN) are taken from the other
 * parent, or drawn uniformly when neither parent has them.
 */
import type { Rng, SearchSpace } from "../../space/index.js";

/** Distribution indices and crossover probability of Deb et al. 2002, §V. */
export const SBX_ETA = 20;
export const MUTATION_ETA = 20;
export const CROSSOVER_PROBABILITY = 0.9;

export function makeChild(space: SearchSpace, first: Float64Array, second: Float64Array, rng: Rng): number[] {
  const dims = space.dims.length;
  const crossover = rng.next() < CROSSOVER_PROBABILITY;
  // Mutating 1/n of the coordinates on average (Deb et al. 2002, §V).
  const mutationProbability = 1 / Math.max(dims, 1);
  return space.dims.map((dim, d) => {
    const a = first[d] as number;
    const b = second[d] as number;
    let u: number;
    if (Number.isNaN(a) && Number.isNaN(b)) u = rng.next();
    else if (Number.isNaN(a) || Number.isNaN(b)) u = Number.isNaN(a) ? b : a;
    else if (!crossover) u = a;
    else if (dim.kind === "categorical") u = rng.next() < 0.5 ? a : b;
    else u = rng.next() < 0.5 ? simulatedBinaryCrossover(a, b, rng) : a;
    if (rng.next() < mutationProbability) {
      u = dim.kind === "categorical" ? rng.next() : polynomialMutation(u, rng);
    }
    return Math.min(1, Math.max(0, u));
  });
}

/** Bounded SBX on [0, 1] (Deb's reference implementation); returns one of the two children at random. */
export function simulatedBinaryCrossover(a: number, b: number, rng: Rng): number {
  if (Math.abs(a - b) < 1e-14) return a;
  const low = Math.min(a, b);
  const high = Math.max(a, b);
  const r = rng.next();
  const spreadFactor = (beta: number): number => {
    const alpha = 2 - beta ** -(SBX_ETA + 1);
    return r <= 1 / alpha ? (r * alpha) ** (1 / (SBX_ETA + 1)) : (1 / (2 - r * alpha)) ** (1 / (SBX_ETA + 1));
  };
  const lowerChild = 0.5 * (low + high - spreadFactor(1 + (2 * low) / (high - low)) * (high - low));
  const upperChild = 0.5 * (low + high + spreadFactor(1 + (2 * (1 - high)) / (high - low)) * (high - low));
  return rng.next() < 0.5 ? lowerChild : upperChild;
}

/** Polynomial mutation on [0, 1], the bounded form of Deb and Goyal 1996. */
export function polynomialMutation(x: number, rng: Rng): number {
  const r = rng.next();
  const power = 1 / (MUTATION_ETA + 1);
  if (r < 0.5) {
    const value = 2 * r + (1 - 2 * r) * (1 - x) ** (MUTATION_ETA + 1);
    return x + (value ** power - 1);
  }
  const value = 2 * (1 - r) + 2 * (r - 0.5) * x ** (MUTATION_ETA + 1);
  return x + (1 - value ** power);
}
