/**
 * What the GP learns from: the history as points in the unit cube with a
 * value to minimise. Finished trials with a finite value of the first
 * objective (Succeeded, and EarlyStopped at the value it was stopped with,
 * which is pessimistic but on the right side) are observations; Pending and
 * Running trials are pending points for the kriging believer; Failed trials
 * and those without the metric are left out.
 */
import type { ObjectiveSpec, TrialObservation, TuningJobSpec } from "../api/index.js";
import { endedWithoutResult, isActive, lossOf, metricsOf } from "../api/index.js";
import type { SearchSpace } from "../space/index.js";

/** Where an inactive conditional parameter sits for the model: a fixed value, so it adds no distance. */
export const INACTIVE_COORDINATE = 0.5;

export interface ModelData {
  /** Unit-cube points of finished trials with a value, in index order. */
  observedPoints: Float64Array[];
  /** Their values, sign-flipped for Maximize so that lower is always better. */
  observedValues: number[];
  /** Unit-cube points of trials still running. */
  pendingPoints: Float64Array[];
  /** JSON of every trial's parameters, to avoid suggesting them again. */
  triedKeys: Set<string>;
}

export function collectModelData(
  space: SearchSpace,
  spec: TuningJobSpec,
  history: readonly TrialObservation[],
  objective: ObjectiveSpec | undefined,
): ModelData {
  const data: ModelData = { observedPoints: [], observedValues: [], pendingPoints: [], triedKeys: new Set() };
  for (const trial of history) {
    const point = encodeForModel(space, trial.parameters);
    if (!point) continue;
    data.triedKeys.add(parameterKey(space, trial.parameters));
    if (isActive(trial)) {
      data.pendingPoints.push(point);
      continue;
    }
    if (!objective || endedWithoutResult(trial)) continue;
    const value = metricsOf(spec, trial)[objective.name];
    if (value === undefined || !Number.isFinite(value)) continue;
    data.observedPoints.push(point);
    data.observedValues.push(lossOf(value, objective.direction));
  }
  return data;
}

/** Unit-cube point with inactive parameters at INACTIVE_COORDINATE; undefined when an active one is illegal. */
export function encodeForModel(
  space: SearchSpace,
  parameters: TrialObservation["parameters"],
): Float64Array | undefined {
  const encoded = space.encode(parameters);
  const point = new Float64Array(encoded.length);
  for (const [k, u] of encoded.entries()) {
    if (Number.isNaN(u)) {
      if (space.isActive(k, parameters)) return undefined;
      point[k] = INACTIVE_COORDINATE;
    } else {
      point[k] = u;
    }
  }
  return point;
}

/** Identity of a parameter set, in declaration order, for duplicate checks. */
export function parameterKey(space: SearchSpace, parameters: TrialObservation["parameters"]): string {
  return JSON.stringify(
    space.dims.map((dim) => (Object.hasOwn(parameters, dim.name) ? parameters[dim.name] : null)),
  );
}
