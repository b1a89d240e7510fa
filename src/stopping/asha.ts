import { successiveHalving } from "./successiveHalving.js";
import type { StopDecision, StoppingRequest, StoppingRule } from "./types.js";

/**
 * ASHA, asynchronous successive halving (Li et al. 2020), as Optuna's
 * SuccessiveHalvingPruner: rungs at minResource·η^k steps below maxResource;
 * a trial that has reached a rung goes on only while its value there is in
 * the top 1/η of the values every trial recorded at that rung.
 */
export const ashaRule: StoppingRule = {
  name: "ASHA",
  decide(request: StoppingRequest): StopDecision[] {
    const { settings, history, candidates } = request;
    const ladder = {
      firstRung: settings.minResource,
      reductionFactor: settings.reductionFactor,
      maxResource: settings.maxResource,
    };
    return successiveHalving(request, ladder, history, candidates, "ASHA");
  },
};
