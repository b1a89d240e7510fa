import type {
  ParameterValues,
  RetentionStatus,
  TrialObservation,
  TrialPhase,
  TuningJobSpec,
} from "../../src/api/index.js";
import { objectivesOf, parseTuningJobSpec } from "../../src/api/index.js";
import { concludeTrial, type Plan, plan, retainTrials, retiredTrials } from "../../src/engine/index.js";
import { accumulatorForSpec } from "../../src/metrics/accumulator.js";
import type { StrategyMemo } from "../../src/strategies/index.js";
import { jobDocument } from "./jobs.js";

/** A parsed spec built from the test job with overrides merged into its spec. */
export function specWith(overrides: Record<string, unknown> = {}): TuningJobSpec {
  const doc = jobDocument();
  const result = parseTuningJobSpec({ ...doc.spec, ...overrides });
  if (!result.ok) throw new Error(result.errors.join("\n"));
  return result.value;
}

export interface Outcome {
  ok: boolean;
  reports: { step?: number; values: Record<string, number> }[];
}

export interface Simulation {
  plans: Plan[];
  /** Every trial of the job, retired ones included. */
  trials: TrialObservation[];
  final: Plan;
  /** spec.trialRetention's state at the end, and the most trials present at once. */
  retention: RetentionStatus | undefined;
  mostPresent: number;
}

/**
 * Drives the engine the way a backend does, with trials that finish in index
 * order one tick after they start, applying spec.trialRetention after each
 * plan as the operator does. Returns every plan made and the trials.
 */
export function simulate(
  spec: TuningJobSpec,
  evaluate: (parameters: ParameterValues, index: number) => Outcome,
  maxTicks = 10_000,
): Simulation {
  const trials: TrialObservation[] = [];
  let present: TrialObservation[] = [];
  let retention: RetentionStatus | undefined;
  let mostPresent = 0;
  const memo: StrategyMemo = new Map();
  const plans: Plan[] = [];
  for (let tick = 0; tick < maxTicks; tick++) {
    const now = tick * 1000;
    const retained = retainTrials(spec, objectivesOf(spec), present, retention);
    retention = retained.state;
    present = retained.kept;
    const step = plan(spec, present, now, 0, [], undefined, memo, retiredTrials(retention));
    plans.push(step);
    if (step.completion) return { plans, trials, final: step, retention, mostPresent };
    for (const s of step.stop) {
      const trial = trials.find((t) => t.index === s.index);
      if (trial)
        Object.assign(trial, { phase: "EarlyStopped" as TrialPhase, finishedAt: now, stopRequested: true });
    }
    // The oldest running trial finishes, then new ones start.
    const running = present.find((t) => t.phase === "Running");
    if (running) {
      const outcome = evaluate(running.parameters, running.index);
      const collected = accumulatorForSpec(spec);
      for (const report of outcome.reports) collected.addReport(report);
      const finished = concludeTrial(spec, {
        ending: outcome.ok ? { kind: "Exited" } : { kind: "Failed", detail: "exited with code 1" },
        collected: collected.snapshot(),
      });
      Object.assign(running, {
        history: finished.history,
        phase: finished.phase,
        metrics: finished.metrics,
        finishedAt: now,
      });
    }
    for (const c of step.create) {
      const trial: TrialObservation = {
        index: c.index,
        parameters: c.parameters,
        phase: "Running",
        history: [],
        createdAt: now,
      };
      trials.push(trial);
      present.push(trial);
    }
    mostPresent = Math.max(mostPresent, present.length);
  }
  throw new Error("simulation did not complete");
}

export function succeedWith(accuracy: number): Outcome {
  return { ok: true, reports: [{ step: 1, values: { accuracy } }] };
}
