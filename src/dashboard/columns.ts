/** Reading the view's trial columns; imports only types, so the page can use it without the core. */
import type { JobView } from "./view.js";

/** Values of the first objective for trials that finished with one (others null), in column order. */
export function finishedObjective(view: JobView): (number | null)[] {
  const name = view.objectives[0]?.name ?? "";
  const values = view.trials.metrics[name] ?? [];
  return view.trials.phase.map((phase, i) => (phase === "Succeeded" ? (values[i] ?? null) : null));
}
