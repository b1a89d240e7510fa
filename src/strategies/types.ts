/**
 * The contract between the engine and a search strategy. A strategy is a pure
 * function of the space, the history and the seed: it keeps no state between
 * calls, so a restarted operator or resumed local run asks again and gets the
 * same answer.
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
}

export interface Strategy {
  readonly name: string;
  /** One entry per requested index: parameters, or null when the space is exhausted. */
  suggest(request: SuggestRequest): (ParameterValues | null)[];
}
