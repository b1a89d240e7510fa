import type { Trial, TrialObservation, TrialPhase } from "../api/index.js";

function millis(time: string | undefined): number | undefined {
  if (!time) return undefined;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? undefined : ms;
}

// Every reconcile observes every Trial of its job. The informer replaces an object whenever it
// changes, so an observation stays valid for as long as its Trial object lives: made once per
// version, not once per reconcile (50,000 Trials cost ~100 ms a reconcile to observe afresh).
const observed = new WeakMap<Trial, TrialObservation>();

/** A Trial object as the engine sees it. A trial without a phase yet is Pending. Treat it as read-only. */
export function observeTrial(trial: Trial): TrialObservation {
  let observation = observed.get(trial);
  if (!observation) {
    observation = Object.freeze(toObservation(trial));
    observed.set(trial, observation);
  }
  return observation;
}

function toObservation(trial: Trial): TrialObservation {
  const status = trial.status ?? {};
  const phase: TrialPhase = status.phase ?? "Pending";
  const finishedAt = millis(status.completionTime);
  const startedAt = millis(status.startTime);
  return {
    index: trial.spec.index,
    parameters: trial.spec.parameters,
    phase,
    history: (status.history ?? []).map((r) => ({
      ...(r.step !== undefined && { step: r.step }),
      values: r.values,
    })),
    ...(status.metrics && phase !== "Pending" && phase !== "Running" && { metrics: status.metrics }),
    createdAt: millis(trial.metadata.creationTimestamp as string | undefined) ?? 0,
    ...(startedAt !== undefined && { startedAt }),
    ...(finishedAt !== undefined && { finishedAt }),
    ...(trial.spec.stop && { stopRequested: true }),
  };
}
