/**
 * Analyses of a job's trials for the dashboard: parameter importance by
 * PED-ANOVA (Watanabe et al., IJCAI 2023) and progress curves. Pure, like
 * the rest of the core: no I/O, only data in and data out.
 */

export {
  bestSoFar,
  type Curve,
  type FinishedPoint,
  type FinishedVectorPoint,
  hypervolumeHistory,
} from "./history.js";
export {
  type ImportanceOptions,
  type ParameterImportance,
  parameterImportance,
  type ScoredTrial,
} from "./importance.js";
