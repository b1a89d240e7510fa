/**
 * spec.trialRetention for `hypertune run`: the same steps as the operator
 * (engine/retention.ts), so a job plans alike on both backends. Nothing is
 * deleted here: `trials.jsonl` keeps every trial, and each step that retires
 * is logged as a `retired` event that --resume replays. Retired trials leave
 * the planner's map, so planning works on the kept trials only.
 */
import type { RetentionStatus, TuningJobSpec } from "../api/index.js";
import {
  objectivesOf,
  type RetiredTrials,
  retainTrials,
  retiredTrials,
  withRetired,
} from "../engine/index.js";
import type { RebuiltState } from "./rebuildTrials.js";
import type { LocalTrial, TrialEvent } from "./types.js";

export class LocalRetention {
  private state: RetentionStatus | undefined;
  /** Every retired trial, for the run's outcome. */
  readonly retired: LocalTrial[] = [];

  constructor(private readonly spec: TuningJobSpec) {}

  /** Replays the log's steps, moving what they retired out of `trials`. */
  replay(trials: Map<number, LocalTrial>, steps: RebuiltState["retirements"]): void {
    for (const step of steps) {
      const retiring = this.take(trials, step.indices);
      this.state = withRetired(this.spec, this.state, step.below, step.kept, retiring);
    }
  }

  /**
   * One step before a plan over `trials` (and the `waiting` ones that will
   * re-run): retires what the rules say and returns the event to log, if any.
   */
  step(trials: Map<number, LocalTrial>, waiting: readonly LocalTrial[], at: number): TrialEvent | undefined {
    if (!this.spec.trialRetention) return undefined;
    const result = retainTrials(
      this.spec,
      objectivesOf(this.spec),
      [...trials.values(), ...waiting],
      this.state,
    );
    this.state = result.state;
    if (result.retire.length === 0 || !result.state) return undefined;
    this.take(trials, result.retire);
    return {
      event: "retired",
      at,
      below: result.state.below,
      kept: result.state.kept,
      indices: result.retire,
    };
  }

  /** What the engine counts and learns from the retired trials. */
  summary(): RetiredTrials | undefined {
    return retiredTrials(this.state);
  }

  private take(trials: Map<number, LocalTrial>, indices: readonly number[]): LocalTrial[] {
    const taken: LocalTrial[] = [];
    for (const index of indices) {
      const trial = trials.get(index);
      if (!trial) continue;
      trials.delete(index);
      taken.push(trial);
    }
    this.retired.push(...taken);
    return taken;
  }
}
