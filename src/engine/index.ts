export { isBetter, metricsOf, objectivesOf, reduceHistory, reduceMetrics } from "../api/index.js";
export { checkCompletion, failedCount } from "./completion.js";
export {
  concludeTrial,
  type StopRequest,
  type TrialConclusion,
  type TrialConclusionInput,
  type TrialEnding,
} from "./finish.js";
export { countTrials, plan, strategyFor } from "./plan.js";
export { bestOf, paretoFront, rankableTrials } from "./ranking.js";
export * from "./types.js";
export {
  describeWarmStart,
  priorMisfit,
  summarizeWarmStart,
  type WarmStartSummary,
  warmStartHistory,
} from "./warmStart.js";
