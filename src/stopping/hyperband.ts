import type { EarlyStopping } from "../api/index.js";
import { crc32 } from "./crc32.js";
import { successiveHalving } from "./successiveHalving.js";
import type { StopDecision, StoppingRequest, StoppingRule } from "./types.js";

/** Number of brackets: s_max + 1, where s_max is the largest s with minResource·η^s ≤ maxResource. */
export function bracketCount(settings: EarlyStopping): number {
  const max = settings.maxResource ?? settings.minResource;
  let count = 1;
  for (let r = settings.minResource * settings.reductionFactor; r <= max; r *= settings.reductionFactor)
    count++;
  return count;
}

/**
 * Each bracket's share of the trials, as Optuna's HyperbandPruner:
 * ⌈B·η^s / (s+1)⌉ for bracket b with s = B−1−b, so the aggressive brackets,
 * whose trials mostly stop early and cost little, get more trials.
 */
export function bracketBudgets(settings: EarlyStopping): number[] {
  const count = bracketCount(settings);
  return Array.from({ length: count }, (_, bracket) => {
    const s = count - 1 - bracket;
    return Math.ceil((count * settings.reductionFactor ** s) / (s + 1));
  });
}

/** A trial's bracket: its index hashed (CRC-32, as Optuna does with the trial number) into the budgets. */
export function bracketOf(index: number, budgets: readonly number[]): number {
  const total = budgets.reduce((sum, b) => sum + b, 0);
  let n = crc32(`trial_${index}`) % total;
  for (const [bracket, budget] of budgets.entries()) {
    n -= budget;
    if (n < 0) return bracket;
  }
  return budgets.length - 1;
}

/**
 * Hyperband (Li et al. 2018), as Optuna's HyperbandPruner: brackets b = 0..s_max,
 * each an ASHA whose first rung is minResource·η^b, and a trial competes only
 * with the trials of its own bracket. The last bracket's first rung is at (or
 * near) maxResource, so its trials run in full: Hyperband hedges against
 * curves that cross late.
 */
export const hyperbandRule: StoppingRule = {
  name: "Hyperband",
  decide(request: StoppingRequest): StopDecision[] {
    const { settings, history, candidates } = request;
    const budgets = bracketBudgets(settings);
    // Hash each trial once: the brackets below filter the whole history.
    const bracketByIndex = new Map(history.map((t) => [t.index, bracketOf(t.index, budgets)]));
    for (const t of candidates) bracketByIndex.set(t.index, bracketOf(t.index, budgets));
    const decisions: StopDecision[] = [];
    for (const [bracket] of budgets.entries()) {
      const inBracket = (t: { index: number }) => bracketByIndex.get(t.index) === bracket;
      const judged = candidates.filter(inBracket);
      if (judged.length === 0) continue;
      const ladder = {
        firstRung: settings.minResource * settings.reductionFactor ** bracket,
        reductionFactor: settings.reductionFactor,
        maxResource: settings.maxResource,
      };
      const group = history.filter(inBracket);
      decisions.push(...successiveHalving(request, ladder, group, judged, `Hyperband bracket ${bracket}`));
    }
    return decisions.sort((a, b) => a.index - b.index);
  },
};
