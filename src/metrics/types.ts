/** One observed value of a metric, optionally at a training step (epoch, iteration…). */
export interface MetricSample {
  name: string;
  value: number;
  step?: number;
}

/** A user regex that reads one metric; it must have exactly one capture group (the value). */
export interface MetricDefinition {
  name: string;
  regex: string;
}

export interface MetricParserOptions {
  /** Metric names to keep; every other name is ignored silently. */
  declared: readonly string[];
  /** Regexes for metrics (each also declares its name); invalid ones are skipped (see `validateMetricDefinitions`). */
  definitions?: readonly MetricDefinition[];
  /** Longer lines are skipped with a reason. Default 64 KiB (UTF-16 code units). */
  maxLineLength?: number;
}

/** A declared metric (or the step, `name: "step"`, or a whole line, no name) that could not be read. */
export interface RejectedMetric {
  name?: string;
  raw: string;
  reason: string;
}

export interface ParseResult {
  samples: MetricSample[];
  rejected: RejectedMetric[];
}

export interface MetricParser {
  parseLine(line: string): ParseResult;
  /** Splits on `\n`, `\r\n` and a lone `\r` (progress bars redraw with `\r`). */
  parseText(text: string): ParseResult;
}

/** The reserved key that sets a line's step; never a metric name (the API refuses it as one). */
export { STEP_KEY } from "../api/spec.js";

/**
 * The reason of every rejected line that names a declared metric but yields
 * no value and no other rejection; one text, so callers can report it once.
 */
export const LINE_NOT_UNDERSTOOD = "a line naming a declared metric was not understood";

/** Optional marker in front of a metric line; accepted and ignored. */
export const LINE_PREFIX = "hypertune:";
