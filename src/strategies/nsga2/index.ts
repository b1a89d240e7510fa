/**
 * NSGA-II (Deb et al. 2002) for one or several objectives, stateless.
 *
 * Trial indices define the generations: generation g is trials
 * [g·P, (g+1)·P), where P is the population size (`search.startupTrials`,
 * default 20). Generation 0 is scrambled Sobol. For a trial of generation g,
 * the parent population is rebuilt on every call as the elite (rank, then
 * crowding) of every trial that finished successfully with an index below
 * g·P — the (μ+λ) survivor selection of the paper, taken over the whole
 * archive so it needs no stored state. Children come from binary
 * tournaments, SBX and polynomial mutation in the unit cube. Early-stopped
 * trials are ignored (their values are not comparable); failed ones too.
 */
import type { ParameterValues } from "../../api/index.js";
import { createRng } from "../../space/index.js";
import {
  FALLBACK_DRAWS,
  firstFresh,
  remember,
  seenInHistory,
  startupSuggestion,
  uniformPoints,
} from "../tpe/distinct.js";
import { observeHistory } from "../tpe/observations.js";
import type { Strategy } from "../types.js";
import { selectParents, tournament } from "./selection.js";
import { makeChild } from "./variation.js";

export const DEFAULT_POPULATION_SIZE = 20;
/** Keeps NSGA-II's per-trial streams apart from the other strategies'. */
const NSGA2_STREAM = 0x45a2;
/** Children drawn per suggestion, the first that repeats nothing is kept. */
const CHILD_ATTEMPTS = 16;

export const nsga2Strategy: Strategy = {
  name: "NSGA2",
  suggest({ space, history, indices, seed, objectives, spec }) {
    const populationSize = Math.max(2, spec.search.startupTrials ?? DEFAULT_POPULATION_SIZE);
    const complete = observeHistory(space, history, objectives).filter((t) => t.state === "complete");
    const seen = seenInHistory(space, history);
    const parentsByGeneration = new Map<number, ReturnType<typeof selectParents>>();
    return indices.map((index) => {
      const rng = createRng(seed, index, NSGA2_STREAM);
      const generation = Math.floor(index / populationSize);
      let parents = parentsByGeneration.get(generation);
      if (!parents) {
        const eligible = complete.filter((t) => t.index < generation * populationSize);
        parents = selectParents(eligible, populationSize);
        parentsByGeneration.set(generation, parents);
      }
      let values: ParameterValues;
      if (generation === 0 || parents.length < 2) {
        values = startupSuggestion(space, index, seed, rng, seen);
      } else {
        const family = parents;
        const children = Array.from({ length: CHILD_ATTEMPTS }, () =>
          space.decode(
            makeChild(space, tournament(family, rng).trial.point, tournament(family, rng).trial.point, rng),
          ),
        );
        // A small population can breed nothing new in a small space; then a uniform point keeps the batch distinct.
        values =
          firstFresh(space, children, seen) ??
          firstFresh(space, uniformPoints(space, rng, FALLBACK_DRAWS), seen) ??
          (children[0] as ParameterValues);
      }
      remember(space, values, seen);
      return values;
    });
  },
};
