/**
 * The summary conditions that GitOps tools read without knowing this API, in
 * kstatus' terms (Flux, kpt, cli-utils): `Ready` True once Complete (False
 * means still in progress), and `Stalled` True once the job can go no further
 * (Failed or Invalid), so a health check reports failure at once instead of
 * waiting out its timeout. The other conditions say why.
 */
import type { JobPhase } from "../api/index.js";
import type { ConditionInput } from "./conditions.js";

export function readyCondition(phase: JobPhase, message: string): ConditionInput {
  return phase === "Complete"
    ? { type: "Ready", status: "True", reason: "Complete", message }
    : { type: "Ready", status: "False", reason: phase, message };
}

export const STALLED = "Stalled";

export function stalledCondition(reason: string, message: string): ConditionInput {
  return { type: STALLED, status: "True", reason, message };
}
