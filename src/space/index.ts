export { createValueCodec, type DimensionKind, type ValueCodec } from "./dimension.js";
export { countGridPoints, gridPoints } from "./grid.js";
export { createRng, hashSeeds, mix32, type Rng } from "./random.js";
export { MAX_SOBOL_DIMENSIONS, owenScramble, scrambledSobolPoint, sobolInteger } from "./sobolSequence.js";
export { type Condition, createSearchSpace, type Dimension, type SearchSpace } from "./space.js";
