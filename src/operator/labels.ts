/** Labels and names shared by everything the operator creates. */
export const JOB_LABEL = "hypertune.dev/job";
export const TRIAL_LABEL = "hypertune.dev/trial";
export const MANAGED_BY = { "app.kubernetes.io/managed-by": "hypertune" } as const;

/** Trials and their Jobs are named `<job>-<index>` (one rule for both backends): a retried create is harmless. */
export { trialName } from "../api/index.js";

export function trialLabels(jobName: string, trial: string): Record<string, string> {
  return { [JOB_LABEL]: jobName, [TRIAL_LABEL]: trial, ...MANAGED_BY };
}
