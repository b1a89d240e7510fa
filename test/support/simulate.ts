import type { ParameterValues, TrialObservation, TrialPhase, TuningJobSpec } from "../../src/api/index.js";
import { parseTuningJobSpec } from "../../src/api/index.js";
import { concludeTrial, type Plan, plan } from "../../src/engine/index.js";
import { accumulatorForSpec } from "../../src/metrics/accumulator.js";
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

/**
 * Drives the engine the way a backend does, with trials that finish in index
 * order one tick after they start. Returns every plan made and the final trials.
 */
export function simulate(
  spec: TuningJobSpec,
  evaluate: (parameters: ParameterValues, index: number) => Outcome,
  maxTicks = 10_000,
): { plans: Plan[]; trials: TrialObservation[]; final: Plan } {
  const trials: TrialObservation[] = [];
  const plans: Plan[] = [];
  for (let tick = 0; tick < maxTicks; tick++) {
    const now = tick * 1000;
    const step = plan(spec, trials, now, 0);
    plans.push(step);
    if (step.completion) return { plans, trials, final: step };
    for (const s of step.stop) {
      const trial = trials.find((t) => t.index === s.index);
      if (trial)
        Object.assign(trial, { phase: "EarlyStopped" as TrialPhase, finishedAt: now, stopRequested: true });
    }
    // The oldest running trial finishes, then new ones start.
    const running = trials.find((t) => t.phase === "Running");
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
      trials.push({
        index: c.index,
        parameters: c.parameters,
        phase: "Running",
        history: [],
        createdAt: now,
      });
    }
  }
  throw new Error("simulation did not complete");
}

export function succeedWith(accuracy: number): Outcome {
  return { ok: true, reports: [{ step: 1, values: { accuracy } }] };
}
