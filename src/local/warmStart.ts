/**
 * Warm start on the local backend: the finished trials of earlier runs,
 * read from their state folders. `--warm-start DIR` names a folder that
 * holds a `trials.jsonl`; `search.warmStartFrom` names earlier jobs in the
 * same state root, as on the operator it names earlier TuningJobs.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { TrialObservation, TuningJobSpec } from "../api/index.js";
import { summarizeWarmStart, type WarmStartSummary } from "../engine/index.js";
import { LocalUsageError } from "./errors.js";
import { readRebuiltState } from "./rebuildTrials.js";
import { statePaths } from "./stateDir.js";

/** What a warm start loaded, for the person watching and the JSON output. */
export interface WarmStartReport extends WarmStartSummary {
  /** The state folders read. */
  from: string[];
}

export function warmStartFolders(
  stateRoot: string,
  jobNames: readonly string[],
  extraDirs: readonly string[],
): string[] {
  return [...jobNames.map((name) => statePaths(stateRoot, name).dir), ...extraDirs];
}

/**
 * Finished trials of every folder, and how many of them fit this job (no
 * report without folders); a folder without a trial log is a usage error,
 * not a silent no-op.
 */
export function loadWarmStart(
  folders: readonly string[],
  spec: TuningJobSpec,
): { priors: TrialObservation[]; report?: WarmStartReport } {
  const priors = folders.flatMap((dir) => {
    const events = join(dir, "trials.jsonl");
    if (!existsSync(events))
      throw new LocalUsageError(`warm start: ${dir} holds no trials.jsonl (a job's state folder does)`);
    return readRebuiltState(events).finished;
  });
  if (folders.length === 0) return { priors };
  return { priors, report: { from: [...folders], ...summarizeWarmStart(priors, spec) } };
}
