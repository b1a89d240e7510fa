/**
 * TPE's memory of one job between suggestions (kept in the request's memo):
 * every finished trial's encoded point and losses, and every trial's
 * parameter key, folded in once and checked against the history on each
 * call. A call then does per-trial work only for the trials that changed
 * since the last one, where rebuilding it all from 50,000 trials cost tens of
 * milliseconds a suggestion.
 *
 * The check is by identity: an entry still holds while its trial is the same
 * object with the same phase, metrics and history (the operator replaces a
 * changed observation; the local runner replaces those fields when a trial
 * finishes). A trial that changed is folded again; one that vanished, or a
 * different space or objectives, starts the fold over. Either way the result
 * equals `observeHistory` and `seenInHistory` over the same history.
 */
import type { ObjectiveSpec, TrialObservation } from "../../api/index.js";
import type { SearchSpace } from "../../space/index.js";
import { type KeySet, parameterKey, type SeenParameters } from "./distinct.js";
import { encodeParameters, type ObservedTrial, observeTrial } from "./observations.js";
import { chooseBelow, defaultGamma, keepBest } from "./split.js";

interface Entry {
  readonly source: TrialObservation;
  readonly phase: TrialObservation["phase"];
  readonly metrics: TrialObservation["metrics"];
  readonly history: TrialObservation["history"];
  /** Undefined for a finished trial the model cannot learn from (Failed, no value). */
  readonly observed: ObservedTrial | undefined;
  readonly key: string;
}

export interface FoldedHistory {
  /** The finished trials the model learns from, by index. */
  readonly finished: readonly ObservedTrial[];
  /** The pending ones, by index: this call's own array, for the constant liar to add to. */
  readonly pending: ObservedTrial[];
  readonly seen: SeenParameters;
}

const isPending = (trial: TrialObservation) => trial.phase === "Pending" || trial.phase === "Running";

export class TrialFold {
  private space: SearchSpace | undefined;
  private objectivesKey = "";
  private readonly entries = new Map<number, Entry>();
  /** The folded trials' keys, each with how many trials carry it. */
  private readonly keyCounts = new Map<string, number>();
  /** The last history and its entries by position: most trials sit where they sat last time. */
  private previous: readonly TrialObservation[] = [];
  private previousEntries: (Entry | undefined)[] = [];
  /** The good group last chosen (single objective), best first. */
  private best: { size: number; trials: ObservedTrial[] } | undefined;
  /** Learnable trials folded in since `best` was chosen; undefined once one was replaced or dropped. */
  private sinceBest: ObservedTrial[] | undefined;

  observe(
    space: SearchSpace,
    history: readonly TrialObservation[],
    objectives: readonly ObjectiveSpec[],
  ): FoldedHistory {
    const objectivesKey = JSON.stringify(objectives);
    if (space !== this.space || objectivesKey !== this.objectivesKey) {
      this.clear();
      this.space = space;
      this.objectivesKey = objectivesKey;
    }
    const folded = this.pass(space, history, objectives);
    if (folded) return folded;
    this.clear();
    return this.pass(space, history, objectives) as FoldedHistory;
  }

  /**
   * The good group of `finished` (this fold's last `observe`): for one
   * objective, the group kept from the last call with the trials folded in
   * since, when none was replaced or dropped (the same as choosing afresh:
   * the order is total); else chosen afresh.
   */
  below(finished: readonly ObservedTrial[], objectiveCount: number): Set<ObservedTrial> {
    if (objectiveCount > 1) return chooseBelow(finished, objectiveCount);
    const size = defaultGamma(finished.length);
    const trials =
      this.best && this.best.size === size && this.sinceBest
        ? keepBest(this.best.trials, this.sinceBest, size)
        : keepBest([], finished, size);
    this.best = { size, trials };
    this.sinceBest = [];
    return new Set(trials);
  }

  /** One walk over the history; undefined when an entry's trial is no longer finished or gone. */
  private pass(
    space: SearchSpace,
    history: readonly TrialObservation[],
    objectives: readonly ObjectiveSpec[],
  ): FoldedHistory | undefined {
    const finished: ObservedTrial[] = [];
    const pendingTrials: ObservedTrial[] = [];
    const pending = new Set<string>();
    const added = new Set<string>();
    const entriesByPosition: (Entry | undefined)[] = new Array(history.length);
    let matched = 0;
    for (let i = 0; i < history.length; i++) {
      const trial = history[i] as TrialObservation;
      if (isPending(trial)) {
        const key = parameterKey(space, trial.parameters);
        pending.add(key);
        added.add(key);
        pendingTrials.push({
          index: trial.index,
          point: encodeParameters(space, trial.parameters),
          state: "pending",
          losses: [],
          step: 0,
        });
        continue;
      }
      const there = this.previous[i] === trial ? this.previousEntries[i] : undefined;
      let entry = there ?? this.entries.get(trial.index);
      if (!entry || !holds(entry, trial)) {
        if (entry) {
          this.forget(entry.key);
          this.sinceBest = undefined;
        }
        entry = {
          source: trial,
          phase: trial.phase,
          metrics: trial.metrics,
          history: trial.history,
          observed: observeTrial(space, trial, objectives),
          key: parameterKey(space, trial.parameters),
        };
        this.entries.set(trial.index, entry);
        this.keyCounts.set(entry.key, (this.keyCounts.get(entry.key) ?? 0) + 1);
        if (entry.observed) this.sinceBest?.push(entry.observed);
      }
      entriesByPosition[i] = entry;
      matched += 1;
      if (entry.observed) finished.push(entry.observed);
    }
    if (matched !== this.entries.size) return undefined;
    this.previous = history;
    this.previousEntries = entriesByPosition;
    if (!inIndexOrder(finished)) finished.sort((a, b) => a.index - b.index);
    if (!inIndexOrder(pendingTrials)) pendingTrials.sort((a, b) => a.index - b.index);
    return { finished, pending: pendingTrials, seen: { pending, all: layered(this.keyCounts, added) } };
  }

  private forget(key: string): void {
    const count = (this.keyCounts.get(key) ?? 0) - 1;
    if (count > 0) this.keyCounts.set(key, count);
    else this.keyCounts.delete(key);
  }

  private clear(): void {
    this.entries.clear();
    this.keyCounts.clear();
    this.previous = [];
    this.previousEntries = [];
    this.best = undefined;
    this.sinceBest = undefined;
  }
}

function holds(entry: Entry, trial: TrialObservation): boolean {
  return (
    entry.source === trial &&
    entry.phase === trial.phase &&
    entry.metrics === trial.metrics &&
    entry.history === trial.history
  );
}

function inIndexOrder(observed: readonly ObservedTrial[]): boolean {
  for (let i = 1; i < observed.length; i++) {
    if ((observed[i - 1] as ObservedTrial).index > (observed[i] as ObservedTrial).index) return false;
  }
  return true;
}

/** The folded keys, read-only, plus this call's own: what a suggestion adds never reaches the fold. */
function layered(base: ReadonlyMap<string, number>, own: Set<string>): KeySet {
  return {
    has: (key) => base.has(key) || own.has(key),
    add: (key) => void own.add(key),
  };
}
