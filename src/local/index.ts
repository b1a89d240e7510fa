export { LocalUsageError } from "./errors.js";
export { parseGpuList } from "./gpuPool.js";
export { type JobFileOutcome, parseJobFileText, readJobFile } from "./jobFile.js";
export { loadRunnableJob, withLimitOverrides } from "./loadJob.js";
export { liveProgress } from "./progress/liveProgress.js";
export { plainProgress } from "./progress/plainProgress.js";
export { type RunResultJson, resultJson } from "./progress/resultJson.js";
export { formatSummary } from "./progress/summary.js";
export type { RunInfo, RunOutcome, RunReporter, RunStatus } from "./reporter.js";
export {
  DEFAULT_KILL_GRACE_MS,
  LocalRun,
  type LocalRunOptions,
} from "./runner.js";
export { defaultStateRoot } from "./stateDir.js";
export type { LocalTrial, TrialEvent } from "./types.js";
