/**
 * The `Ready` summary condition that GitOps tools read without knowing this
 * API: Flux (kstatus) treats Ready=True as done and Ready=False as still in
 * progress. A TuningJob is Ready once it is Complete; its other conditions
 * say why it is not.
 */
import type { JobPhase } from "../api/index.js";
import type { ConditionInput } from "./conditions.js";

export function readyCondition(phase: JobPhase, message: string): ConditionInput {
  return phase === "Complete"
    ? { type: "Ready", status: "True", reason: "Complete", message }
    : { type: "Ready", status: "False", reason: phase, message };
}
