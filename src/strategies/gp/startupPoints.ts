/**
 * Start-up trials of the model-based strategies: point `index` of the
 * scrambled Sobol sequence, as the Sobol strategy would suggest. When that
 * decodes to parameters already tried or already in the batch (a conditional
 * space can put half its mass on one point), further points from a stream of
 * its own are tried instead, so a batch never repeats itself while it can avoid it.
 */
import type { ParameterValues } from "../../api/index.js";
import {
  createRng,
  hashSeeds,
  MAX_SOBOL_DIMENSIONS,
  type SearchSpace,
  scrambledSobolPoint,
} from "../../space/index.js";
import { parameterKey } from "../bayesianData.js";

const MAX_ALTERNATIVES = 32;
const ALTERNATIVE_STREAM = 0x5eed;

/** Point `index` of the scrambled Sobol sequence for `seed`; seeded random beyond Sobol's 64 dimensions. */
export function quasiRandomPoint(index: number, d: number, seed: number): Float64Array {
  if (d <= MAX_SOBOL_DIMENSIONS) return Float64Array.from(scrambledSobolPoint(index, d, seed));
  const rng = createRng(seed, index);
  return Float64Array.from({ length: d }, () => rng.next());
}

/** The start-up suggestion for `index`, not in `taken` when avoidable; adds its key to `taken`. */
export function distinctStartupValues(
  space: SearchSpace,
  index: number,
  seed: number,
  taken: Set<string>,
): ParameterValues {
  const d = space.dims.length;
  let values = space.decode(Array.from(quasiRandomPoint(index, d, seed)));
  const alternativeSeed = hashSeeds(seed, index, ALTERNATIVE_STREAM);
  for (let k = 0; k < MAX_ALTERNATIVES && taken.has(parameterKey(space, values)); k++) {
    values = space.decode(Array.from(quasiRandomPoint(k, d, alternativeSeed)));
  }
  taken.add(parameterKey(space, values));
  return values;
}
