/** The `--output json` document: stable field names for scripts. */
import { trialName as nameOf } from "../../api/index.js";
import type { RunOutcome } from "../reporter.js";

/** A trial with a result, as `bestTrial` and `paretoFront` list it. */
export interface ResultTrialJson {
  name: string;
  index: number;
  parameters: Record<string, unknown>;
  metrics: Record<string, number>;
}

export interface RunResultJson {
  name: string;
  status: RunOutcome["status"];
  reason: string;
  message: string;
  seed: number;
  strategy: string;
  stateDir: string;
  elapsedSeconds: number;
  bestTrial: ResultTrialJson | null;
  /** Several objectives only: the non-dominated trials, best first by the first objective. */
  paretoFront?: ResultTrialJson[];
  /** Several objectives only, as the TuningJob's status.paretoHypervolume. */
  paretoHypervolume?: number;
  /** With a warm start: how many earlier trials seed the strategy, and why the others do not. */
  warmStart?: {
    from: string[];
    loaded: number;
    leftOut: { reason: string; count: number }[];
  };
  trials: {
    name: string;
    index: number;
    parameters: Record<string, unknown>;
    /** Interrupted trials (still running when the run stopped) show as Interrupted. */
    phase: string;
    metrics: Record<string, number>;
    reason: string | null;
    message: string | null;
  }[];
}

export function resultJson(outcome: RunOutcome): RunResultJson {
  const trialName = (index: number) => nameOf(outcome.name, index);
  const withResult = (t: NonNullable<RunOutcome["best"]>): ResultTrialJson => ({
    name: trialName(t.index),
    index: t.index,
    parameters: t.parameters,
    metrics: t.metrics,
  });
  const multiObjective = outcome.objectives.length > 1;
  return {
    name: outcome.name,
    status: outcome.status,
    reason: outcome.reason,
    message: outcome.message,
    seed: outcome.seed,
    strategy: outcome.strategy,
    stateDir: outcome.stateDir,
    elapsedSeconds: Math.round(outcome.elapsedMs) / 1000,
    bestTrial: outcome.best ? withResult(outcome.best) : null,
    ...(multiObjective && { paretoFront: (outcome.paretoFront ?? []).map(withResult) }),
    ...(multiObjective && outcome.hypervolume !== undefined && { paretoHypervolume: outcome.hypervolume }),
    ...(outcome.warmStart && { warmStart: outcome.warmStart }),
    trials: outcome.trials.map((t) => ({
      name: trialName(t.index),
      index: t.index,
      parameters: t.parameters,
      phase: t.phase === "Running" || t.phase === "Pending" ? "Interrupted" : t.phase,
      metrics: t.metrics ?? {},
      reason: t.reason ?? null,
      message: t.message ?? null,
    })),
  };
}
