/**
 * Columns the panels share, derived once per view (every update brings a
 * new view object, so a WeakMap on it is the whole cache): the first
 * objective of finished trials and each parameter's position on its axis,
 * as typed arrays with NaN where there is nothing. A filter only changes
 * the selection, so redrawing reuses them.
 */
import type { JobView, ParameterView } from "../view.js";

const objectives = new WeakMap<JobView, Float64Array>();
const parameters = new WeakMap<JobView, Map<string, Float64Array>>();
const positions = new WeakMap<JobView, Map<number, number>>();

/** The first objective of trials that Succeeded with one (NaN otherwise), in column order. */
export function objectiveColumn(view: JobView): Float64Array {
  let column = objectives.get(view);
  if (!column) {
    const values = view.trials.metrics[view.objectives[0]?.name ?? ""] ?? [];
    const phase = view.trials.phase;
    column = new Float64Array(phase.length);
    for (let i = 0; i < phase.length; i++) {
      const v = values[i];
      column[i] = phase[i] === "Succeeded" && typeof v === "number" ? v : Number.NaN;
    }
    objectives.set(view, column);
  }
  return column;
}

/** A parameter's values as axis positions: numbers as they are, categories by their place in the list. */
export function parameterColumn(view: JobView, parameter: ParameterView): Float64Array {
  let byName = parameters.get(view);
  if (!byName) {
    byName = new Map();
    parameters.set(view, byName);
  }
  let column = byName.get(parameter.name);
  if (!column) {
    const values = view.trials.params[parameter.name] ?? [];
    const n = view.trials.index.length;
    column = new Float64Array(n);
    if (parameter.type === "Categorical") {
      const place = new Map((parameter.values ?? []).map((v, k) => [v, k]));
      for (let i = 0; i < n; i++) column[i] = place.get(values[i] as never) ?? Number.NaN;
    } else {
      for (let i = 0; i < n; i++) {
        const v = values[i];
        column[i] = typeof v === "number" && Number.isFinite(v) ? v : Number.NaN;
      }
    }
    byName.set(parameter.name, column);
  }
  return column;
}

/** The axis domain of a parameter: its bounds, its categories' places, or its values' extent. */
export function parameterDomain(parameter: ParameterView, column: Float64Array): [number, number] {
  if (parameter.type === "Categorical") return [-0.5, (parameter.values?.length ?? 1) - 0.5];
  if (parameter.min !== undefined && parameter.max !== undefined) return [parameter.min, parameter.max];
  return finiteExtent(column);
}

/** Extent of the finite values, or [0, 1] when there are none. */
export function finiteExtent(values: Float64Array): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/** Where each trial index sits in the columns. */
export function positionOf(view: JobView): Map<number, number> {
  let map = positions.get(view);
  if (!map) {
    map = new Map();
    const index = view.trials.index;
    for (let i = 0; i < index.length; i++) map.set(index[i] as number, i);
    positions.set(view, map);
  }
  return map;
}

/**
 * A value a panel derives from its view and its own settings (size, chosen
 * parameters), kept on its element until either changes.
 */
export function memo<T>(
  holder: WeakMap<HTMLElement, { view: JobView; key: string; value: T }>,
  body: HTMLElement,
  view: JobView,
  key: string,
  make: () => T,
): T {
  const kept = holder.get(body);
  if (kept && kept.view === view && kept.key === key) return kept.value;
  const value = make();
  holder.set(body, { view, key, value });
  return value;
}
