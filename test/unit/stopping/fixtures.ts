import type { TrialObservation } from "../../../src/api/index.js";
import { EarlyStopping } from "../../../src/api/index.js";
import type { StoppingRequest } from "../../../src/stopping/index.js";

export const settingsWith = (overrides: Record<string, unknown>): EarlyStopping =>
  EarlyStopping.parse(overrides);

/** A trial whose reports are `step → loss` pairs. */
export function trial(
  index: number,
  points: [step: number, loss: number][],
  phase: TrialObservation["phase"] = "Running",
): TrialObservation {
  return {
    index,
    parameters: {},
    phase,
    history: points.map(([step, loss]) => ({ step, values: { loss } })),
    createdAt: index,
  };
}

/** A loss curve over steps 1..last. */
export const steps = (last: number, loss: (step: number) => number): [number, number][] =>
  Array.from({ length: last }, (_, i) => [i + 1, loss(i + 1)]);

export function request(
  settings: EarlyStopping,
  history: TrialObservation[],
  candidates: TrialObservation[] = history.filter((t) => t.phase === "Running"),
  direction: "Minimize" | "Maximize" = "Minimize",
): StoppingRequest {
  return { settings, metric: { name: "loss", direction }, history, candidates };
}
