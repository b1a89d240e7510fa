/**
 * Quasi-random search: trial i gets point i of a scrambled Sobol sequence.
 * The first 2^k trials then cover every 1/2^k slice of every parameter's
 * range exactly once, which random search only achieves on average.
 */
import { scrambledSobolPoint } from "../space/index.js";
import type { Strategy } from "./types.js";

export const sobolStrategy: Strategy = {
  name: "Sobol",
  suggest({ space, indices, seed }) {
    return indices.map((index) => space.decode(scrambledSobolPoint(index, space.dims.length, seed)));
  },
};
