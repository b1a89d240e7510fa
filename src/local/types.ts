import type {
  MetricReport,
  ParameterValues,
  TrialObservation,
  TrialPhase,
  TuningJobSpec,
} from "../api/index.js";

/** A trial as the local backend keeps it: the engine's view plus why it ended. */
export interface LocalTrial extends TrialObservation {
  reason?: string;
  message?: string;
}

/** Lines of `trials.jsonl`, one JSON object per event, appended in order. */
export type TrialEvent =
  | { event: "session"; at: number; resumed: boolean }
  /** Written when a session ends normally or by Ctrl-C (not after kill -9), for the elapsed-time count. */
  | { event: "ended"; at: number; status: string }
  /** `attempt` is absent for a trial's first run. */
  | {
      event: "started";
      at: number;
      index: number;
      parameters: ParameterValues;
      attempt?: number;
      pid?: number;
    }
  /** The attempt was disrupted and runs again; `history` is every attempt's reports so far, merged. */
  | {
      event: "preempted";
      at: number;
      index: number;
      attempt: number;
      reason: string;
      message: string;
      history: MetricReport[];
    }
  | { event: "report"; at: number; index: number; step?: number; values: Record<string, number> }
  /** spec.trialRetention retired these finished trials (engine/retention.ts); replayed on --resume. */
  | { event: "retired"; at: number; below: number; kept: number[]; indices: number[] }
  | {
      event: "finished";
      at: number;
      index: number;
      phase: TrialPhase;
      metrics: Record<string, number>;
      /** The kept reports, as concluded (absent in state folders of older versions). */
      history?: MetricReport[];
      reason?: string;
      message?: string;
    };

/** `job.json`: written when a job first starts (and once more to pin the strategy). */
export interface JobRecord {
  formatVersion: 1;
  name: string;
  file: string;
  seed: number;
  specHash: string;
  startedAt: number;
  /**
   * The strategy in use, pinned on the first session so `Auto` keeps its
   * choice when a resume raises maxTrials. Absent in folders written before
   * it was recorded; the next session resolves and records it.
   */
  strategy?: string;
  /** The spec as first run, so the folder can be read (dashboard, report) without its YAML file. Absent in older folders. */
  spec?: TuningJobSpec;
}
