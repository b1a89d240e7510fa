/**
 * NSGA-II's selection (Deb et al. 2002, §III-C): keep the best `size`
 * trials by non-domination rank, breaking the last rank by crowding
 * distance, and pick parents by binary tournament on (rank, crowding).
 */

import type { Rng } from "../../space/index.js";
import { crowdingDistances, nonDominationRanks } from "../../space/pareto.js";
import type { ObservedTrial } from "../tpe/observations.js";

export interface Parent {
  readonly trial: ObservedTrial;
  readonly rank: number;
  readonly crowding: number;
}

/** The elite of `trials`, ranked; ties are resolved by trial index so the result is deterministic. */
export function selectParents(trials: readonly ObservedTrial[], size: number): Parent[] {
  const points = trials.map((t) => t.losses);
  const ranks = nonDominationRanks(points);
  const byRank = new Map<number, number[]>();
  ranks.forEach((rank, i) => {
    byRank.set(rank, [...(byRank.get(rank) ?? []), i]);
  });
  const parents: Parent[] = [];
  for (let rank = 0; parents.length < size && byRank.has(rank); rank++) {
    const members = byRank.get(rank) as number[];
    const crowding = crowdingDistances(points, members);
    const ordered = [...members].sort(
      (a, b) => (crowding.get(b) as number) - (crowding.get(a) as number) || a - b,
    );
    for (const i of ordered.slice(0, size - parents.length)) {
      parents.push({ trial: trials[i] as ObservedTrial, rank, crowding: crowding.get(i) as number });
    }
  }
  return parents;
}

/** Crowded-comparison binary tournament: lower rank wins, then the less crowded. */
export function tournament(parents: readonly Parent[], rng: Rng): Parent {
  const a = parents[rng.int(parents.length)] as Parent;
  const b = parents[rng.int(parents.length)] as Parent;
  if (a.rank !== b.rank) return a.rank < b.rank ? a : b;
  if (a.crowding !== b.crowding) return a.crowding > b.crowding ? a : b;
  return rng.next() < 0.5 ? a : b;
}
