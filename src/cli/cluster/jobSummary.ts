/**
 * What `get` shows of a TuningJob, read from its status (what the operator
 * last wrote) and, where the status is silent, its spec. The table and the
 * JSON output are both made from this.
 */
import type { ResultObjective } from "../../local/progress/results.js";
import { type StoredTuningJob, timeOf } from "./objects.js";

export interface JobSummary {
  namespace: string;
  name: string;
  /** status.phase; absent until the operator first reconciles the job. */
  phase?: string;
  /** Finished trials and the budget, as status.progress says (the budget from the spec before that). */
  finished?: number;
  maxTrials?: number;
  /** The best trial by the first objective. */
  best?: { trial: string; index: number; metric: string; value: number };
  /** With several objectives: how many trials are on the Pareto front and its hypervolume. */
  paretoFront?: { size: number; hypervolume?: number };
  /** The strategy the spec asks for (often Auto) and the one in use (what Auto chose). */
  requestedStrategy?: string;
  strategy?: string;
  creationTimestamp?: string;
}

/** objective.metric or objective.metrics as one list, the primary objective first (as the engine reads it). */
export function objectivesOfJob(job: StoredTuningJob): ResultObjective[] {
  const objective = job.spec?.objective;
  if (objective?.metrics) return objective.metrics.map((m) => ({ name: m.name, direction: m.direction }));
  return [{ name: objective?.metric ?? "", direction: objective?.direction ?? "Maximize" }];
}

export function summarizeJob(job: StoredTuningJob): JobSummary {
  const status = job.status;
  const objectives = objectivesOfJob(job);
  const progress = /^(\d+)\/(\d+)$/.exec(status?.progress ?? "");
  const maxTrials = progress ? Number(progress[2]) : job.spec?.limits?.maxTrials;
  const best = status?.bestTrial;
  const bestValue = best?.objectiveValue ?? best?.metrics[objectives[0]?.name ?? ""];
  const requested = job.spec?.search?.strategy ?? "Auto";
  return {
    namespace: job.metadata.namespace ?? "",
    name: job.metadata.name,
    ...(status?.phase && { phase: status.phase }),
    ...(progress ? { finished: Number(progress[1]) } : maxTrials !== undefined && { finished: 0 }),
    ...(maxTrials !== undefined && { maxTrials }),
    ...(best &&
      bestValue !== undefined && {
        best: { trial: best.name, index: best.index, metric: objectives[0]?.name ?? "", value: bestValue },
      }),
    ...(objectives.length > 1 && {
      paretoFront: {
        size: status?.paretoFront?.length ?? 0,
        ...(status?.paretoHypervolume !== undefined && { hypervolume: status.paretoHypervolume }),
      },
    }),
    requestedStrategy: requested,
    ...(status?.strategy && { strategy: status.strategy }),
    ...(job.metadata.creationTimestamp && { creationTimestamp: job.metadata.creationTimestamp }),
  };
}

/** "TPE", or "Auto → TPE" when Auto chose. */
export function strategyText(summary: JobSummary, arrow = " → "): string {
  const requested = summary.requestedStrategy ?? "Auto";
  const inUse = summary.strategy;
  return inUse === undefined || inUse === requested ? requested : `${requested}${arrow}${inUse}`;
}

/** Milliseconds since the epoch the job was created, for AGE. */
export function createdAtOf(summary: JobSummary): number | undefined {
  return timeOf(summary.creationTimestamp);
}
