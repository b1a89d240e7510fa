/** Labels and names shared by everything the operator creates. */
export const JOB_LABEL = "hypertune.dev/job";
export const TRIAL_LABEL = "hypertune.dev/trial";
/** On a trial's pods: which attempt of the trial they run (1, then one more per preemption). */
export const ATTEMPT_LABEL = "hypertune.dev/attempt";
export const MANAGED_BY = { "app.kubernetes.io/managed-by": "hypertune" } as const;

/** Trials and their Jobs are named `<job>-<index>` (one rule for both backends): a retried create is harmless. */
export { trialName } from "../api/index.js";

/**
 * The Job of a trial's attempt: the trial's own name for the first, then
 * `<trial>-a<attempt>`, so a new attempt never waits for the old Job to go.
 */
export function attemptJobName(trial: string, attempt: number): string {
  return attempt <= 1 ? trial : `${trial}-a${attempt}`;
}

export function trialLabels(jobName: string, trial: string): Record<string, string> {
  return { [JOB_LABEL]: jobName, [TRIAL_LABEL]: trial, ...MANAGED_BY };
}
