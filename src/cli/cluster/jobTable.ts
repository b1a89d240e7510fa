/**
 * `hypertune get`'s table: the columns of `kubectl get tj -o wide` with the
 * objective's name beside the best value and what Auto chose beside Auto.
 */
import { formatNumber } from "../../local/progress/format.js";
import { ageOf } from "./age.js";
import { columns } from "./columns.js";
import { createdAtOf, type JobSummary, strategyText } from "./jobSummary.js";

export interface JobTableOptions {
  /** Adds kubectl's NAMESPACE column, for --all-namespaces. */
  withNamespace: boolean;
  nowMs: number;
}

export function formatJobTable(jobs: readonly JobSummary[], options: JobTableOptions): string {
  const header = ["NAME", "PHASE", "TRIALS", "BEST", "STRATEGY", "AGE"];
  const rows = jobs.map((job) => [
    job.name,
    job.phase ?? "<none>",
    trialsCell(job),
    bestCell(job),
    strategyText(job, "→"),
    ageOf(createdAtOf(job), options.nowMs),
  ]);
  const withNamespace = (cells: string[], namespace: string) =>
    options.withNamespace ? [namespace, ...cells] : cells;
  const lines = columns(
    [
      withNamespace(header, "NAMESPACE"),
      ...rows.map((cells, i) => withNamespace(cells, jobs[i]?.namespace ?? "")),
    ],
    3,
    6,
  );
  return `${lines.join("\n")}\n`;
}

function trialsCell(job: JobSummary): string {
  if (job.maxTrials === undefined) return "<none>";
  return `${job.finished ?? 0}/${job.maxTrials}`;
}

/** `accuracy=0.9123`; with several objectives the size of the Pareto front instead. */
function bestCell(job: JobSummary): string {
  if (job.paretoFront) {
    if (job.paretoFront.size === 0) return "<none>";
    const volume = job.paretoFront.hypervolume;
    return `front=${job.paretoFront.size}${volume === undefined ? "" : ` hv=${formatNumber(volume)}`}`;
  }
  return job.best ? `${job.best.metric}=${formatNumber(job.best.value)}` : "<none>";
}
