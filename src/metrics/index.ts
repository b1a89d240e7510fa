export { hasNestedQuantifier, MAX_REGEX_LENGTH, validateMetricDefinitions } from "./definitions.js";
export { formatMetricLine, METRIC_NAME_PATTERN } from "./format.js";
export { createMetricParser, DEFAULT_MAX_LINE_LENGTH, MAX_REGEX_INPUT_LENGTH } from "./parser.js";
export type { MetricReduction } from "./reduce.js";
export type {
  MetricDefinition,
  MetricParser,
  MetricParserOptions,
  MetricSample,
  ParseResult,
  RejectedMetric,
} from "./types.js";
export { LINE_NOT_UNDERSTOOD, LINE_PREFIX, STEP_KEY } from "./types.js";
