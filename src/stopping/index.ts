import type { EarlyStopping } from "../api/index.js";
import { ashaRule } from "./asha.js";
import { hyperbandRule } from "./hyperband.js";
import { medianRule } from "./median.js";
import type { StoppingRule } from "./types.js";

export { learningCurve } from "./curve.js";
export { bracketBudgets, bracketCount, bracketOf } from "./hyperband.js";
export type { StopDecision, StoppingRequest, StoppingRule } from "./types.js";

const RULES: Record<Exclude<EarlyStopping["rule"], "None">, StoppingRule> = {
  Median: medianRule,
  ASHA: ashaRule,
  Hyperband: hyperbandRule,
};

/** The rule named in the spec, or undefined for `None`. */
export function stoppingRuleFor(settings: EarlyStopping): StoppingRule | undefined {
  return settings.rule === "None" ? undefined : RULES[settings.rule];
}
