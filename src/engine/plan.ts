import type { ParameterValues, TrialObservation, TuningJobSpec } from "../api/index.js";
import { isActive, objectivesOf } from "../api/index.js";
import { createSearchSpace, type SearchSpace } from "../space/index.js";
import { stoppingRuleFor } from "../stopping/index.js";
import { chosenStrategy, createStrategy } from "../strategies/registry.js";
import type { StrategyMemo } from "../strategies/types.js";
import { checkCompletion } from "./completion.js";
import { frontHypervolume } from "./frontHypervolume.js";
import { gpuSecondsUsed } from "./gpuTime.js";
import { bestOf, paretoFront, rankableTrials } from "./ranking.js";
import type { RetiredTrials } from "./retention.js";
import type { Plan, TrialCountsByPhase, TrialToCreate, TrialToStop } from "./types.js";
import { warmStartHistory } from "./warmStart.js";

// One space per distinct parameter list, not per spec object: the operator parses its job afresh
// on every reconcile, and the strategies' caches (encoded points, parameter keys) live per space.
const SPACES_KEPT = 64;
const spaces = new Map<string, SearchSpace>();
function spaceOf(spec: TuningJobSpec): SearchSpace {
  const key = JSON.stringify(spec.parameters);
  let space = spaces.get(key);
  if (space) {
    // Most recently used last, so the oldest goes first when the cache is full.
    spaces.delete(key);
  } else {
    space = createSearchSpace(spec.parameters);
    if (spaces.size >= SPACES_KEPT) spaces.delete(spaces.keys().next().value as string);
  }
  spaces.set(key, space);
  return space;
}

export function countTrials(trials: readonly TrialObservation[]): TrialCountsByPhase {
  const counts: TrialCountsByPhase = {
    created: trials.length,
    active: 0,
    succeeded: 0,
    failed: 0,
    earlyStopped: 0,
    metricsUnavailable: 0,
    preempted: 0,
  };
  for (const t of trials) {
    if (isActive(t)) counts.active += 1;
    else if (t.phase === "Succeeded") counts.succeeded += 1;
    else if (t.phase === "Failed") counts.failed += 1;
    else if (t.phase === "EarlyStopped") counts.earlyStopped += 1;
    else if (t.phase === "Preempted") counts.preempted += 1;
    else counts.metricsUnavailable += 1;
  }
  return counts;
}

/**
 * The tuning loop, one step of it: given the spec and every trial so far,
 * what should happen now. Pure and level-triggered: the same input always
 * gives the same plan, and acting on a plan twice is harmless because the
 * next call sees the trials the first one created.
 *
 * `now` and `startedAt` are milliseconds; `startedAt` defaults to the first
 * trial's creation. `pinnedStrategy` is what Auto chose on the job's first
 * plan, as the backend kept it (see `strategyFor`). `memo` is the job's
 * strategy scratch space, kept by the backend between plans: it saves work
 * and never changes a plan (a fresh one after a restart plans the same).
 * `retired` is what spec.trialRetention retired (engine/retention.ts): it is
 * counted, its sample is history for the strategy, and no index repeats.
 */
export function plan(
  spec: TuningJobSpec,
  trials: readonly TrialObservation[],
  now: number,
  startedAt: number = trials.reduce((min, t) => Math.min(min, t.createdAt), now),
  priors: readonly TrialObservation[] = [],
  pinnedStrategy?: string,
  memo?: StrategyMemo,
  retired?: RetiredTrials,
): Plan {
  const sorted = [...trials].sort((a, b) => a.index - b.index);
  const objectives = objectivesOf(spec);
  const space = spaceOf(spec);
  const strategyName = strategyFor(spec, pinnedStrategy);
  const counts = withRetiredCounts(countTrials(sorted), retired);
  const ranked = rankableTrials(spec, sorted, objectives);
  const primary = objectives[0];
  const best = primary ? bestOf(ranked, primary) : undefined;
  const front = objectives.length > 1 ? paretoFront(ranked, objectives) : undefined;
  const frontVolume = front ? frontHypervolume(ranked, front, objectives, retired?.worstLosses) : undefined;
  const active = sorted.filter(isActive);

  const create = spec.suspend
    ? []
    : suggestTrials(
        spec,
        [...warmStartHistory(priors, spec, space), ...(retired?.sample ?? []), ...sorted],
        retired?.below ?? 0,
        counts,
        space,
        strategyName,
        objectives,
        memo,
      );
  const exhausted = create === "exhausted";
  const completion = checkCompletion({
    spec,
    trials: sorted,
    objectives,
    counts,
    best,
    now,
    startedAt,
    exhausted,
    ...(spec.limits.maxGpuHours !== undefined && {
      gpuSeconds: gpuSecondsUsed(spec, sorted, now, retired?.gpuSeconds),
    }),
  });

  let stop: TrialToStop[];
  if (completion) {
    stop = active
      .filter((t) => !t.stopRequested)
      .map((t) => ({ index: t.index, reason: "JobFinished" as const, message: completion.message }));
  } else {
    stop = earlyStops(spec, sorted, active);
  }
  const toCreate = completion || exhausted ? [] : create;
  return {
    create: toCreate,
    stop,
    ...(completion && { completion }),
    ...(best && { best }),
    ...(front && { paretoFront: front }),
    ...(frontVolume !== undefined && { hypervolume: frontVolume }),
    counts,
    strategy: strategyName,
    message: completion?.message ?? progressMessage(spec, counts, best, toCreate.length, strategyName),
  };
}

/** The strategy the job runs with: the spec's, or Auto's choice (the pinned one once made). */
export function strategyFor(spec: TuningJobSpec, pinnedStrategy?: string): string {
  return chosenStrategy(spec, spaceOf(spec), pinnedStrategy);
}

function withRetiredCounts(
  counts: TrialCountsByPhase,
  retired: RetiredTrials | undefined,
): TrialCountsByPhase {
  if (!retired) return counts;
  const { succeeded, failed, earlyStopped, metricsUnavailable, preempted } = retired.counts;
  return {
    created: counts.created + succeeded + failed + earlyStopped + metricsUnavailable + preempted,
    active: counts.active,
    succeeded: counts.succeeded + succeeded,
    failed: counts.failed + failed,
    earlyStopped: counts.earlyStopped + earlyStopped,
    metricsUnavailable: counts.metricsUnavailable + metricsUnavailable,
    preempted: counts.preempted + preempted,
  };
}

function suggestTrials(
  spec: TuningJobSpec,
  trials: readonly TrialObservation[],
  /** Every index below this is taken (retired trials not in `trials`). */
  taken: number,
  counts: TrialCountsByPhase,
  space: SearchSpace,
  strategyName: string,
  objectives: ReturnType<typeof objectivesOf>,
  memo: StrategyMemo | undefined,
): TrialToCreate[] | "exhausted" {
  const free = Math.min(spec.limits.parallelism - counts.active, spec.limits.maxTrials - counts.created);
  if (free <= 0) return [];
  const next = trials.reduce((max, t) => Math.max(max, t.index), taken - 1) + 1;
  // Warm-start priors have negative indices, so they never move `next`.
  const indices = Array.from({ length: free }, (_, i) => next + i);
  const strategy = createStrategy(strategyName, space, spec);
  const suggestions = strategy.suggest({
    space,
    history: trials,
    indices,
    seed: spec.search.seed ?? 0,
    objectives,
    spec,
    ...(memo && { memo }),
  });
  const create: TrialToCreate[] = [];
  for (const [i, parameters] of suggestions.entries()) {
    const index = indices[i];
    if (parameters === null || index === undefined) break;
    create.push({ index, parameters: parameters as ParameterValues });
  }
  return create.length === 0 && suggestions.length > 0 ? "exhausted" : create;
}

function earlyStops(
  spec: TuningJobSpec,
  trials: readonly TrialObservation[],
  active: readonly TrialObservation[],
): TrialToStop[] {
  const rule = stoppingRuleFor(spec.earlyStopping);
  const primary = objectivesOf(spec)[0];
  if (!rule || !primary) return [];
  const candidates = active.filter((t) => !t.stopRequested);
  return rule
    .decide({ settings: spec.earlyStopping, metric: primary, history: trials, candidates })
    .map((d) => ({ index: d.index, reason: "EarlyStopped" as const, message: d.message, step: d.step }));
}

function progressMessage(
  spec: TuningJobSpec,
  counts: TrialCountsByPhase,
  best: { index: number; objectiveValue: number } | undefined,
  starting: number,
  strategyName: string,
): string {
  const finished = counts.created - counts.active;
  const parts = [
    `${finished}/${spec.limits.maxTrials} trials finished`,
    `${counts.active + starting} running`,
  ];
  if (spec.suspend) parts.push("suspended");
  const metric = objectivesOf(spec)[0]?.name;
  if (best && metric) parts.push(`best ${metric}=${best.objectiveValue} (trial ${best.index})`);
  if (spec.search.strategy === "Auto") parts.push(`Auto chose ${strategyName}`);
  return parts.join(", ");
}
