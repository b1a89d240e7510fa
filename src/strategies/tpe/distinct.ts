/**
 * Telling suggestions apart, so that one batch never proposes the same
 * parameters twice (and, where the space allows, never repeats a trial
 * already in the history), and quasi-random points for start-up trials.
 */
import type { ParameterValues, TrialObservation } from "../../api/index.js";
import { MAX_SOBOL_DIMENSIONS, type Rng, type SearchSpace, scrambledSobolPoint } from "../../space/index.js";

// Keys of the history's trials are asked for on every call; computing them once per parameters object saves most of it.
const keysBySpace = new WeakMap<SearchSpace, WeakMap<ParameterValues, string>>();

/** A string equal for equal parameter sets; the type tag keeps `1` and `"1"` apart. */
export function parameterKey(space: SearchSpace, values: ParameterValues): string {
  let cache = keysBySpace.get(space);
  if (!cache) {
    cache = new WeakMap();
    keysBySpace.set(space, cache);
  }
  let key = cache.get(values);
  if (key === undefined) {
    key = computeKey(space, values);
    cache.set(values, key);
  }
  return key;
}

function computeKey(space: SearchSpace, values: ParameterValues): string {
  let key = "";
  for (const dim of space.dims) {
    const value = Object.hasOwn(values, dim.name) ? values[dim.name] : undefined;
    key += value === undefined ? "\u0001" : `${(typeof value)[0]}${String(value)}\u0001`;
  }
  return key;
}

/** What a suggestion needs of a set of keys. */
export interface KeySet {
  has(key: string): boolean;
  add(key: string): void;
}

export interface SeenParameters {
  /** Running trials and earlier suggestions of this batch: avoided whenever the space allows. */
  readonly pending: KeySet;
  /** Every trial so far: avoided when a fresh point is at hand. */
  readonly all: KeySet;
}

/** What the history already tried, and which of it is still running. */
export function seenInHistory(space: SearchSpace, history: readonly TrialObservation[]): SeenParameters {
  const seen = { pending: new Set<string>(), all: new Set<string>() };
  for (const trial of history) {
    const key = parameterKey(space, trial.parameters);
    seen.all.add(key);
    if (trial.phase === "Pending" || trial.phase === "Running") seen.pending.add(key);
  }
  return seen;
}

/**
 * The first candidate (in preference order) that repeats nothing; else the
 * first that repeats no pending trial; else undefined.
 */
export function firstFresh(
  space: SearchSpace,
  candidates: readonly ParameterValues[],
  seen: SeenParameters,
): ParameterValues | undefined {
  const keys = candidates.map((c) => parameterKey(space, c));
  const fresh = keys.findIndex((k) => !seen.all.has(k));
  if (fresh >= 0) return candidates[fresh];
  const notPending = keys.findIndex((k) => !seen.pending.has(k));
  return notPending >= 0 ? candidates[notPending] : undefined;
}

export function remember(space: SearchSpace, values: ParameterValues, seen: SeenParameters): void {
  const key = parameterKey(space, values);
  seen.pending.add(key);
  seen.all.add(key);
}

/** Uniform points to fall back on when every model candidate repeats a pending trial. */
export const FALLBACK_DRAWS = 32;

export function uniformPoints(space: SearchSpace, rng: Rng, count: number): ParameterValues[] {
  return Array.from({ length: count }, () => space.decode(space.dims.map(() => rng.next())));
}

/** Point `index` of the job's scrambled Sobol sequence, or a uniform point past Sobol's dimension limit. */
export function quasiRandomPoint(space: SearchSpace, index: number, seed: number, rng: Rng): ParameterValues {
  const dims = space.dims.length;
  if (dims <= MAX_SOBOL_DIMENSIONS && index >= 0) return space.decode(scrambledSobolPoint(index, dims, seed));
  return space.decode(space.dims.map(() => rng.next()));
}

/** Start-up suggestion: the Sobol point for this index unless it repeats a pending trial. */
export function startupSuggestion(
  space: SearchSpace,
  index: number,
  seed: number,
  rng: Rng,
  seen: SeenParameters,
): ParameterValues {
  const sobol = quasiRandomPoint(space, index, seed, rng);
  if (!seen.pending.has(parameterKey(space, sobol))) return sobol;
  return firstFresh(space, uniformPoints(space, rng, FALLBACK_DRAWS), seen) ?? sobol;
}
