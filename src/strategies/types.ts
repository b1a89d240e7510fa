/**
 * The contract between the engine and a search strategy. A strategy is a pure
 * function of the space, the history and the seed: what it keeps between
 * calls (the request's memo) only saves work, so a restarted operator or
 * resumed local run asks again and gets the same answer.
 */
import type { ObjectiveSpec, ParameterValues, TrialObservation, TuningJobSpec } from "../api/index.js";
import type { SearchSpace } from "../space/index.js";

export interface SuggestRequest {
  space: SearchSpace;
  /**
   * Every trial so far, finished or still running, ordered by index. Finished
   * trials of earlier runs (warm start) come first, with negative indices.
   */
  history: readonly TrialObservation[];
  /** The trial indices that need parameters, ascending. */
  indices: readonly number[];
  seed: number;
  objectives: readonly ObjectiveSpec[];
  /** The whole spec, for strategy settings. */
  spec: TuningJobSpec;
  /**
   * The job's scratch space between calls, kept by the backend per job, for
   * work a strategy need not redo (TPE's folded trials). It never changes an
   * answer: without it, or with a fresh one after a restart, the same request
   * gets the same suggestions. Absent: nothing is kept.
   */
  memo?: StrategyMemo;
}

/** One per job; each strategy keeps its entry under its own name. */
export type StrategyMemo = Map<string, unknown>;

/** The entry `name` of the memo, made by `make` the first time (or every time, without a memo). */
export function memoized<T>(memo: StrategyMemo | undefined, name: string, make: () => T): T {
  if (!memo) return make();
  let entry = memo.get(name) as T | undefined;
  if (entry === undefined) {
    entry = make();
    memo.set(name, entry);
  }
  return entry;
}

export interface Strategy {
  readonly name: string;
  /** One entry per requested index: parameters, or null when the space is exhausted. */
  suggest(request: SuggestRequest): (ParameterValues | null)[];
}
