/**
 * Warm start: finished trials of earlier runs, shown to the strategy before
 * this run's own trials. This is the one place that decides which of them
 * fit this job (finished successfully, parameters inside this space, every
 * objective reported) and says why the others do not, for both backends.
 */
import { metricsOf, objectivesOf, type TrialObservation, type TuningJobSpec } from "../api/index.js";
import { createSearchSpace, type Dimension, type SearchSpace } from "../space/index.js";

export interface WarmStartSummary {
  /** Earlier trials the strategy sees. */
  loaded: number;
  /** Earlier trials left out, grouped by why, most common first. */
  leftOut: { reason: string; count: number }[];
}

/** Why an earlier trial cannot seed this job, or undefined when it fits. */
export function priorMisfit(
  prior: TrialObservation,
  spec: TuningJobSpec,
  space: SearchSpace,
): string | undefined {
  if (prior.phase !== "Succeeded") return "not finished successfully";
  if (!space.contains(prior.parameters)) return parametersMisfit(prior, space);
  const metrics = metricsOf(spec, prior);
  const missing = objectivesOf(spec).find((o) => !Number.isFinite(metrics[o.name]));
  return missing ? `objective ${missing.name} missing` : undefined;
}

/**
 * The fitting priors, with negative indices so they never collide with this
 * run's; they count for nothing else: not the budget, not the best.
 */
export function warmStartHistory(
  priors: readonly TrialObservation[],
  spec: TuningJobSpec,
  space: SearchSpace,
): TrialObservation[] {
  return priors
    .filter((t) => priorMisfit(t, spec, space) === undefined)
    .map((t, i) => ({ ...t, index: -1 - i }));
}

export function summarizeWarmStart(
  priors: readonly TrialObservation[],
  spec: TuningJobSpec,
): WarmStartSummary {
  const space = createSearchSpace(spec.parameters);
  let loaded = 0;
  const reasons = new Map<string, number>();
  for (const prior of priors) {
    const reason = priorMisfit(prior, spec, space);
    if (reason === undefined) loaded++;
    else reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  const leftOut = [...reasons].map(([reason, count]) => ({ reason, count }));
  leftOut.sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
  return { loaded, leftOut };
}

/** `12 earlier trial(s) loaded; 3 left out: 2 parameter lr outside [0.001, 0.1], 1 not finished successfully` */
export function describeWarmStart(summary: WarmStartSummary): string {
  const loaded =
    summary.loaded === 0 ? "no earlier trial loaded" : `${summary.loaded} earlier trial(s) loaded`;
  const leftOutCount = summary.leftOut.reduce((n, r) => n + r.count, 0);
  if (leftOutCount === 0) return summary.loaded === 0 ? `${loaded} (none finished there)` : loaded;
  const reasons = summary.leftOut.map((r) => `${r.count} ${r.reason}`).join(", ");
  return `${loaded}; ${leftOutCount} left out: ${reasons}`;
}

/** The first parameter that keeps an earlier trial's values out of this space. */
function parametersMisfit(prior: TrialObservation, space: SearchSpace): string {
  const known = new Set(space.dims.map((d) => d.name));
  const unknown = Object.keys(prior.parameters).find((name) => !known.has(name));
  if (unknown !== undefined) return `unknown parameter ${unknown}`;
  for (const dim of space.dims) {
    const reason = dimensionMisfit(dim, prior, space);
    if (reason) return reason;
  }
  return "parameters outside the space";
}

function dimensionMisfit(dim: Dimension, prior: TrialObservation, space: SearchSpace): string | undefined {
  const name = `parameter ${dim.name}`;
  const value = Object.hasOwn(prior.parameters, dim.name) ? prior.parameters[dim.name] : undefined;
  if (!space.isActive(dim.index, prior.parameters))
    return value === undefined ? undefined : `${name} set though its condition (when) does not hold`;
  if (value === undefined) return `${name} missing`;
  if (dim.isLegal(value)) return undefined;
  const p = dim.parameter;
  if (p.type === "Categorical" || p.type === "Discrete") {
    const shown = p.values.length <= 6 ? `[${p.values.join(", ")}]` : `its ${p.values.length} values`;
    return `${name} not one of ${shown}`;
  }
  if (typeof value !== "number") return `${name} not a number`;
  if (!(value >= p.min && value <= p.max)) return `${name} outside [${p.min}, ${p.max}]`;
  if (p.type === "Int" && !Number.isInteger(value)) return `${name} not an integer`;
  return `${name} not on its step ${p.step}`;
}
