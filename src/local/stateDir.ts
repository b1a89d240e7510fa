import { dirname, join, resolve } from "node:path";

/** Default state location: `.hypertune/` next to the YAML file, so a run resumes from any cwd. */
export function defaultStateRoot(jobFile: string): string {
  return join(dirname(resolve(jobFile)), ".hypertune");
}

export interface StatePaths {
  dir: string;
  jobRecord: string;
  events: string;
  trialLogs: string;
}

export function statePaths(root: string, jobName: string): StatePaths {
  const dir = join(resolve(root), jobName);
  return {
    dir,
    jobRecord: join(dir, "job.json"),
    events: join(dir, "trials.jsonl"),
    trialLogs: join(dir, "trials"),
  };
}

export function trialLogPath(paths: StatePaths, index: number): string {
  return join(paths.trialLogs, `${index}.log`);
}

/** A trial's own folder: where the File collector's file and the termination message are written. */
export function trialFilesDir(paths: StatePaths, index: number): string {
  return join(paths.trialLogs, String(index));
}
