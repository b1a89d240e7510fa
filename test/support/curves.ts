import type { TrialObservation } from "../../src/api/index.js";

/** A trial that reported `accuracy` = values[i] at step i + 1, in the given phase. */
export const curve = (
  index: number,
  values: number[],
  phase: TrialObservation["phase"],
): TrialObservation => ({
  index,
  parameters: {},
  phase,
  history: values.map((accuracy, i) => ({ step: i + 1, values: { accuracy } })),
  createdAt: 0,
});
