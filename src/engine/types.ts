import type { ParameterValues } from "../api/index.js";

export const COMPLETION_REASONS = [
  "MaxTrialsReached",
  "TargetReached",
  "MaxFailedTrialsExceeded",
  "MaxDurationReached",
  "MaxGpuHoursReached",
  "NoImprovement",
  "SearchSpaceExhausted",
  "NoSuccessfulTrials",
  /** Operator only: the job's requester may not create the trials' workloads themselves. */
  "Forbidden",
] as const;
export type CompletionReason = (typeof COMPLETION_REASONS)[number];

export interface TrialToCreate {
  index: number;
  parameters: ParameterValues;
}

export interface TrialToStop {
  index: number;
  /** EarlyStopped: an early-stopping rule judged it hopeless; JobFinished: the job completed. */
  reason: "EarlyStopped" | "JobFinished";
  message: string;
  /** EarlyStopped: the step the rule judged the trial at (ASHA and Hyperband: the rung). */
  step?: number;
}

export interface Completion {
  reason: CompletionReason;
  /** False when the job failed (too many failed trials, or nothing succeeded). */
  succeeded: boolean;
  message: string;
}

export interface RankedTrial {
  index: number;
  parameters: ParameterValues;
  metrics: Record<string, number>;
  /** Result for the first objective. */
  objectiveValue: number;
}

export interface TrialCountsByPhase {
  created: number;
  active: number;
  succeeded: number;
  failed: number;
  earlyStopped: number;
  metricsUnavailable: number;
  /** Preempted more often than maxPreemptionRetries: not a failure, and no result. */
  preempted: number;
}

/** What the backend should do next. Carrying it out twice must be harmless. */
export interface Plan {
  create: TrialToCreate[];
  stop: TrialToStop[];
  /** Set once the job is done; `stop` then lists every trial still active. */
  completion?: Completion;
  best?: RankedTrial;
  /** Non-dominated trials, when there are several objectives. */
  paretoFront?: RankedTrial[];
  /** Hypervolume of `paretoFront` (see `frontHypervolume` for the reference point), when several objectives. */
  hypervolume?: number;
  counts: TrialCountsByPhase;
  /** The strategy in use (what Auto resolved to). */
  strategy: string;
  /** One line for people: progress, best so far, or why the job ended. */
  message: string;
}
