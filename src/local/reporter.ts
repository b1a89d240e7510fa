import type { Plan } from "../engine/index.js";
import type { LocalTrial } from "./types.js";
import type { WarmStartReport } from "./warmStart.js";

export interface RunInfo {
  name: string;
  file: string;
  stateDir: string;
  seed: number;
  /** The spec's search.strategy, e.g. Auto. */
  requestedStrategy: string;
  /** The strategy in use: what Auto chose, kept for the whole job. */
  strategy: string;
  objectiveName: string;
  maxTrials: number;
  parallelism: number;
  /** Trials already finished in earlier sessions. */
  resumedFinished: number;
  /** Trials that were running when the last session ended and start again. */
  resumedInterrupted: number;
  gpus?: readonly number[];
  startedAt: number;
  /** Running time of earlier sessions. */
  previousElapsedMs: number;
  /** Things the person should know about how this spec runs locally. */
  notes: string[];
  /** Set when the job warm-starts from earlier runs. */
  warmStart?: WarmStartReport;
}

export type RunStatus = "Succeeded" | "Failed" | "Interrupted";

export interface RunOutcome {
  status: RunStatus;
  name: string;
  file: string;
  stateDir: string;
  seed: number;
  strategy: string;
  /** Why the job ended (a completion reason), or Interrupted. */
  reason: string;
  message: string;
  best?: Plan["best"];
  /** With several objectives: the non-dominated trials, and their hypervolume when the engine gives it. */
  paretoFront?: Plan["paretoFront"];
  hypervolume?: Plan["hypervolume"];
  /** Every trial by index; interrupted ones are still Running. */
  trials: LocalTrial[];
  objectiveName: string;
  objectiveDirection: "Minimize" | "Maximize";
  /** Every objective, the first one first (one entry unless the job is multi-objective). */
  objectives: { name: string; direction: "Minimize" | "Maximize" }[];
  warmStart?: WarmStartReport;
  elapsedMs: number;
}

/** What the runner tells the person watching. Every method is optional. */
export interface RunReporter {
  begin?(info: RunInfo): void;
  trialStarted?(
    trial: LocalTrial,
    context: { restarted: boolean; attempt: number; cudaVisibleDevices?: string },
  ): void;
  trialReported?(trial: LocalTrial): void;
  /** The trial's process was disrupted (a SIGTERM the runner did not send); it runs again as `attempt + 1`. */
  trialPreempted?(trial: LocalTrial, context: { attempt: number; reason: string; message: string }): void;
  trialFinished?(trial: LocalTrial, context: { isBest: boolean; logPath: string }): void;
  /** After every plan, with the seconds it took (the operator's hypertune_suggestion_duration_seconds). */
  planned?(plan: Plan, seconds: number): void;
  interrupting?(context: { running: number; force: boolean }): void;
  /** spec.suspend changed (or was true at the start): running trials go on, no new one starts. */
  suspended?(context: { suspended: boolean; running: number; file: string }): void;
  end?(outcome: RunOutcome): void;
}
