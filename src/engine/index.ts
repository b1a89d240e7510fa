export { isBetter, metricsOf, objectivesOf, reduceHistory, reduceMetrics } from "../api/index.js";
export { mayRetryPreempted, mergeAttemptHistory, withEarlierAttempts } from "./attempts.js";
export { checkCompletion, failedCount } from "./completion.js";
export {
  concludeTrial,
  type StopRequest,
  type TrialConclusion,
  type TrialConclusionInput,
  type TrialEnding,
} from "./finish.js";
export { countTrials, plan, strategyFor } from "./plan.js";
export { bestOf, byObjective, paretoFront, rankableTrials } from "./ranking.js";
export {
  RETIRED_SAMPLE_BYTES,
  RETIRED_SAMPLE_ENTRIES,
  type Retention,
  type RetiredTrials,
  retainTrials,
  retiredTotal,
  retiredTrials,
  withRetired,
} from "./retention.js";
export * from "./types.js";
export {
  describeWarmStart,
  priorMisfit,
  summarizeWarmStart,
  type WarmStartSummary,
  warmStartHistory,
} from "./warmStart.js";
