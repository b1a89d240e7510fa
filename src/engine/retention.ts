/**
 * spec.trialRetention: which finished trials a backend may forget, and the
 * bounded record of the forgotten ones that planning still counts and learns
 * from. Pure. The backend stores the returned state (the TuningJob's
 * status.retention, or the local event log) before it deletes what is
 * retired, so a restart in between only deletes again: a trial present but
 * inside the stored retired set is ignored and deleted.
 *
 * The retired set is every index below `below` except those in `kept`. The
 * line moves up to the newest `keepLast` indices; what it passes stays kept
 * while it is running or among the best `keepBest`, and retires when it no
 * longer is. The best are therefore never retired, so the best trial and the
 * Pareto front computed from the kept trials are those of the whole job.
 */
import type {
  ObjectiveSpec,
  RetentionStatus,
  RetiredTrial,
  TrialObservation,
  TuningJobSpec,
} from "../api/index.js";
import { isActive, lossVector, metricsOf, objectivesOf } from "../api/index.js";
import { firstFronts } from "../space/pareto.js";
import { gpuSecondsUsed } from "./gpuTime.js";
import { byObjective, rankableTrials } from "./ranking.js";

/** The sample's bounds: enough for a density estimate; small, since every status write carries it. */
export const RETIRED_SAMPLE_ENTRIES = 256;
export const RETIRED_SAMPLE_BYTES = 16 * 1024;

export interface Retention {
  /** The trials to plan with: those present and not retired. */
  kept: TrialObservation[];
  /** Indices of trials present that are retired: delete them once `state` is stored. */
  retire: number[];
  /** The state to store; undefined while the job never retired anything and asks for no retention. */
  state: RetentionStatus | undefined;
}

/**
 * One retention step over the trials present. `finished`: the job is over,
 * so nothing more retires (leftovers of an interrupted step are still deleted).
 */
export function retainTrials(
  spec: TuningJobSpec,
  objectives: readonly ObjectiveSpec[],
  present: readonly TrialObservation[],
  stored: RetentionStatus | undefined,
  finished = false,
): Retention {
  const retired = stored ? retiredSet(stored) : () => false;
  const leftovers = present.filter((t) => retired(t.index));
  const kept = leftovers.length > 0 ? present.filter((t) => !retired(t.index)) : [...present];
  const settings = spec.trialRetention;
  if (!settings || finished) return { kept, retire: leftovers.map((t) => t.index), state: stored };

  const next = kept.reduce((max, t) => Math.max(max, t.index), (stored?.below ?? 0) - 1) + 1;
  const below = Math.max(stored?.below ?? 0, next - settings.keepLast);
  const protectedIndices = bestIndices(spec, objectives, kept, settings.keepBest);
  const retiring: TrialObservation[] = [];
  const stay: TrialObservation[] = [];
  const keptBelow: number[] = [];
  for (const t of kept) {
    if (t.index >= below) stay.push(t);
    else if (isActive(t) || protectedIndices.has(t.index)) {
      stay.push(t);
      keptBelow.push(t.index);
    } else retiring.push(t);
  }
  if (!stored && retiring.length === 0 && below === 0) return { kept, retire: [], state: undefined };
  return {
    kept: stay,
    retire: [...leftovers, ...retiring].map((t) => t.index),
    state: withRetired(spec, stored, below, keptBelow, retiring),
  };
}

/** The state after `retiring` retires and the line is at `below`; also how the local runner replays its log. */
export function withRetired(
  spec: TuningJobSpec,
  stored: RetentionStatus | undefined,
  below: number,
  keptBelow: readonly number[],
  retiring: readonly TrialObservation[],
): RetentionStatus {
  const retired = { ...emptyRetired(), ...stored?.retired };
  for (const t of retiring) {
    if (t.phase === "Succeeded") retired.succeeded += 1;
    else if (t.phase === "Failed") retired.failed += 1;
    else if (t.phase === "EarlyStopped") retired.earlyStopped += 1;
    else if (t.phase === "Preempted") retired.preempted += 1;
    else retired.metricsUnavailable += 1;
  }
  let stride = stored?.stride ?? 1;
  let sample = [...(stored?.sample ?? [])];
  for (const t of retiring) {
    if (t.index % stride === 0) sample.push(retiredEntry(spec, t));
  }
  // Doubling the stride keeps an even sample over every index retired so far.
  while (sample.length > RETIRED_SAMPLE_ENTRIES || JSON.stringify(sample).length > RETIRED_SAMPLE_BYTES) {
    stride *= 2;
    sample = sample.filter((s) => s.index % stride === 0);
  }
  sample.sort((a, b) => a.index - b.index);
  const worstLosses = worstOf(spec, retiring, stored?.worstLosses);
  // Counted at retirement, when each trial has ended: `now` does not matter for them.
  const gpuSeconds = gpuSecondsUsed(spec, retiring, 0, stored?.gpuSeconds ?? 0);
  return {
    below,
    kept: [...keptBelow].sort((a, b) => a - b),
    retired,
    stride,
    sample,
    ...(gpuSeconds > 0 && { gpuSeconds }),
    ...(worstLosses && { worstLosses }),
  };
}

/** Per objective, the worst loss of any successful trial retired: the hypervolume's reference needs it. */
function worstOf(
  spec: TuningJobSpec,
  retiring: readonly TrialObservation[],
  before: readonly number[] | undefined,
): number[] | undefined {
  const objectives = objectivesOf(spec);
  let worst = before ? [...before] : undefined;
  for (const r of rankableTrials(spec, retiring, objectives)) {
    const losses = lossVector(r.metrics, objectives);
    worst = worst ? worst.map((w, m) => Math.max(w, losses[m] as number)) : losses;
  }
  return worst;
}

/** What the engine counts and learns from the retired trials (see `plan`). */
export interface RetiredTrials {
  counts: ReturnType<typeof emptyRetired>;
  /** Every index below this was created. */
  below: number;
  sample: TrialObservation[];
  /** Per objective, the worst loss retired. */
  worstLosses?: readonly number[];
  /** GPU seconds the retired trials used. */
  gpuSeconds?: number;
}

export function retiredTrials(state: RetentionStatus | undefined): RetiredTrials | undefined {
  if (!state) return undefined;
  return {
    counts: { ...emptyRetired(), ...state.retired },
    below: state.below,
    ...(state.worstLosses && { worstLosses: state.worstLosses }),
    ...(state.gpuSeconds !== undefined && { gpuSeconds: state.gpuSeconds }),
    sample: state.sample.map((s) => ({
      index: s.index,
      parameters: s.parameters,
      phase: s.phase,
      history: [],
      metrics: s.metrics,
      createdAt: 0,
    })),
  };
}

/** Trials retired so far. It only grows, so a smaller count is an older state. */
export function retiredTotal(state: RetentionStatus | undefined): number {
  const r = state?.retired;
  return r ? r.succeeded + r.failed + r.earlyStopped + r.metricsUnavailable + r.preempted : 0;
}

function retiredSet(state: RetentionStatus): (index: number) => boolean {
  const kept = new Set(state.kept);
  return (index) => index < state.below && !kept.has(index);
}

function emptyRetired() {
  return { succeeded: 0, failed: 0, earlyStopped: 0, metricsUnavailable: 0, preempted: 0 };
}

function retiredEntry(spec: TuningJobSpec, t: TrialObservation): RetiredTrial {
  return { index: t.index, phase: t.phase, parameters: t.parameters, metrics: metricsOf(spec, t) };
}

/**
 * The trials kept for their result: the best `count` by the objective (ties
 * to the earlier index); with several objectives, whole non-domination ranks
 * from the Pareto front on until they hold `count`.
 */
function bestIndices(
  spec: TuningJobSpec,
  objectives: readonly ObjectiveSpec[],
  trials: readonly TrialObservation[],
  count: number,
): Set<number> {
  const ranked = rankableTrials(spec, trials, objectives);
  if (objectives.length > 1) {
    const fronts = firstFronts(
      ranked.map((r) => lossVector(r.metrics, objectives)),
      count,
    );
    return new Set(fronts.flat().map((i) => (ranked[i] as (typeof ranked)[number]).index));
  }
  const primary = objectives[0];
  if (!primary) return new Set();
  const best = [...ranked].sort(byObjective(primary));
  return new Set(best.slice(0, count).map((r) => r.index));
}
