/**
 * Warm start on the local backend: the finished trials of earlier runs,
 * read from their state folders. `--warm-start DIR` names a folder that
 * holds a `trials.jsonl`; `search.warmStartFrom` names earlier jobs in the
 * same state root, as on the operator it names earlier TuningJobs.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { TrialObservation } from "../api/index.js";
import { LocalUsageError } from "./errors.js";
import { readRebuiltState } from "./rebuildTrials.js";
import { statePaths } from "./stateDir.js";

export function warmStartFolders(
  stateRoot: string,
  jobNames: readonly string[],
  extraDirs: readonly string[],
): string[] {
  return [...jobNames.map((name) => statePaths(stateRoot, name).dir), ...extraDirs];
}

/** Finished trials of every folder; a folder without a trial log is a usage error, not a silent no-op. */
export function loadWarmStart(folders: readonly string[]): TrialObservation[] {
  return folders.flatMap((dir) => {
    const events = join(dir, "trials.jsonl");
    if (!existsSync(events))
      throw new LocalUsageError(`warm start: ${dir} holds no trials.jsonl (a job's state folder does)`);
    return readRebuiltState(events).finished;
  });
}
