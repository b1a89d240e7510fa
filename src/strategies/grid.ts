/**
 * Grid search: trial i gets grid point i, or point i of a seeded permutation
 * when `search.shuffleGrid` is set; past the last point the space is
 * exhausted. The grid is enumerated once per space object, since the engine
 * asks again on every reconcile.
 */
import type { ParameterValues } from "../api/index.js";
import { createRng, gridPoints, type SearchSpace } from "../space/index.js";
import type { Strategy } from "./types.js";

/** Keeps the shuffle's stream apart from the streams other strategies draw for trial indices. */
const SHUFFLE_STREAM = -1;

const gridCache = new WeakMap<SearchSpace, ParameterValues[]>();
const orderCache = new WeakMap<SearchSpace, Map<number, Uint32Array>>();

export const gridStrategy: Strategy = {
  name: "Grid",
  suggest({ space, indices, seed, spec }) {
    const points = cachedGrid(space);
    const order = spec.search.shuffleGrid ? cachedShuffle(space, points.length, seed) : undefined;
    return indices.map((index) => {
      const position = order ? order[index] : index;
      const point = position === undefined ? undefined : points[position];
      // A copy, so a caller that edits its suggestion cannot corrupt the cache.
      return point ? { ...point } : null;
    });
  },
};

function cachedGrid(space: SearchSpace): ParameterValues[] {
  let points = gridCache.get(space);
  if (!points) {
    points = gridPoints(space);
    gridCache.set(space, points);
  }
  return points;
}

function cachedShuffle(space: SearchSpace, size: number, seed: number): Uint32Array {
  let bySeed = orderCache.get(space);
  if (!bySeed) {
    bySeed = new Map();
    orderCache.set(space, bySeed);
  }
  let order = bySeed.get(seed);
  if (!order) {
    order = seededPermutation(size, seed);
    bySeed.set(seed, order);
  }
  return order;
}

function seededPermutation(size: number, seed: number): Uint32Array {
  const order = Uint32Array.from({ length: size }, (_, i) => i);
  const rng = createRng(seed, SHUFFLE_STREAM);
  for (let i = size - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const held = order[i] as number;
    order[i] = order[j] as number;
    order[j] = held;
  }
  return order;
}
