/** The `--output json` document: stable field names for scripts. */
import type { RunOutcome } from "../reporter.js";

export interface RunResultJson {
  name: string;
  status: RunOutcome["status"];
  reason: string;
  message: string;
  seed: number;
  strategy: string;
  stateDir: string;
  elapsedSeconds: number;
  bestTrial: {
    name: string;
    index: number;
    parameters: Record<string, unknown>;
    metrics: Record<string, number>;
  } | null;
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
  const trialName = (index: number) => `${outcome.name}-${index}`;
  return {
    name: outcome.name,
    status: outcome.status,
    reason: outcome.reason,
    message: outcome.message,
    seed: outcome.seed,
    strategy: outcome.strategy,
    stateDir: outcome.stateDir,
    elapsedSeconds: Math.round(outcome.elapsedMs) / 1000,
    bestTrial: outcome.best
      ? {
          name: trialName(outcome.best.index),
          index: outcome.best.index,
          parameters: outcome.best.parameters,
          metrics: outcome.best.metrics,
        }
      : null,
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
