/**
 * Random search: each trial's point is drawn from its own stream,
 * `createRng(seed, index)`, so it depends on nothing but the seed and the
 * index — not on the history, nor on which other trials were asked for.
 */
import { createRng } from "../space/index.js";
import type { Strategy } from "./types.js";

export const randomStrategy: Strategy = {
  name: "Random",
  suggest({ space, indices, seed }) {
    return indices.map((index) => {
      const rng = createRng(seed, index);
      return space.decode(space.dims.map(() => rng.next()));
    });
  },
};
