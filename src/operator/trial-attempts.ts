/**
 * The operator's side of a preempted trial's attempts (the rules themselves
 * are the engine's, engine/attempts.ts): which attempt an object belongs to,
 * and the Trial status that sends a disrupted trial back to Pending as its
 * next attempt. Pure.
 */
import type { TrialStatus } from "../api/index.js";
import type { TrialEnding } from "../engine/index.js";
import type { MetricsSnapshot } from "../metrics/accumulator.js";
import { ATTEMPT_LABEL, attemptJobName } from "./labels.js";

/** The attempt a Job or pod runs; objects from before attempts were labelled are the first. */
export function attemptOf(object: { metadata?: { labels?: Record<string, string> } }): number {
  return Number(object.metadata?.labels?.[ATTEMPT_LABEL] ?? 1);
}

/**
 * Disrupted with retries left: Pending again as the next attempt, the
 * reports so far kept. Computed from this attempt's state only, so deciding
 * it twice (a stale cache) writes the same status.
 */
export function nextAttemptStatus(input: {
  trialName: string;
  status: TrialStatus | undefined;
  attempt: number;
  ending: Extract<TrialEnding, { kind: "Preempted" }>;
  collected: MetricsSnapshot;
  objective: { objectiveValue?: number };
  now: string;
}): TrialStatus {
  const { attempt, ending, collected, now } = input;
  const next = attempt + 1;
  const earlier = (input.status?.preemptions ?? []).filter((p) => p.attempt < attempt);
  return {
    phase: "Pending",
    reason: "Preempted",
    message: `attempt ${attempt}: ${ending.detail}; running it again as attempt ${next}`.slice(0, 4096),
    attempt: next,
    jobName: attemptJobName(input.trialName, next),
    history: collected.history,
    earlierHistory: collected.history,
    metrics: collected.metrics,
    ...input.objective,
    preemptions: [
      ...earlier,
      { attempt, reason: ending.reason, message: ending.detail.slice(0, 1024), time: now },
    ],
  };
}
