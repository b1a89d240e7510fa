/**
 * The contract between the engine and an early-stopping rule. Like a
 * strategy, a rule is a pure function of the history: no state of its own.
 */
import type { EarlyStopping, ObjectiveSpec, TrialObservation } from "../api/index.js";

export interface StoppingRequest {
  settings: EarlyStopping;
  /** The metric the rule watches and which way is better. */
  metric: Pick<ObjectiveSpec, "name" | "direction">;
  /** Every trial so far, ordered by index. */
  history: readonly TrialObservation[];
  /** The running trials to judge. */
  candidates: readonly TrialObservation[];
}

export interface StopDecision {
  index: number;
  /** The step the trial was judged at (for ASHA and Hyperband, the rung). */
  step: number;
  message: string;
}

export interface StoppingRule {
  readonly name: string;
  decide(request: StoppingRequest): StopDecision[];
}
