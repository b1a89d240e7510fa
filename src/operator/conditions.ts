import type { Condition } from "../api/index.js";

export interface ConditionInput {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
}

/**
 * Sets one condition the metav1.Condition way: lastTransitionTime moves only
 * when the status flips, so a reconcile that changes nothing writes nothing.
 */
export function setCondition(
  conditions: readonly Condition[],
  input: ConditionInput,
  now: string,
  observedGeneration: number | undefined,
): Condition[] {
  const existing = conditions.find((c) => c.type === input.type);
  const next: Condition = {
    ...input,
    lastTransitionTime: existing && existing.status === input.status ? existing.lastTransitionTime : now,
    ...(observedGeneration !== undefined && { observedGeneration }),
  };
  return [...conditions.filter((c) => c.type !== input.type), next].sort((a, b) =>
    a.type.localeCompare(b.type),
  );
}

export function conditionIsTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return conditions?.some((c) => c.type === type && c.status === "True") ?? false;
}
