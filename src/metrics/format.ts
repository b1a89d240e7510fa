import { LINE_PREFIX, STEP_KEY } from "./types.js";

/** Names that survive a round trip through the line format (no spaces, commas, `=`, braces or quotes). */
export const METRIC_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.\-/]*$/;

/**
 * The canonical metric line, `hypertune: step=3 accuracy=0.91 loss=0.2`.
 * `String(number)` is the shortest text that reads back as the same double,
 * so values round-trip exactly. Throws on values the parser would reject.
 */
export function formatMetricLine(step: number | undefined, values: Record<string, number>): string {
  const parts = [LINE_PREFIX];
  if (step !== undefined) {
    if (!Number.isSafeInteger(step) || step < 0)
      throw new RangeError(`step must be a non-negative integer, got ${step}`);
    parts.push(`${STEP_KEY}=${step}`);
  }
  for (const [name, value] of Object.entries(values)) {
    if (!METRIC_NAME_PATTERN.test(name) || name === STEP_KEY)
      throw new RangeError(`invalid metric name ${JSON.stringify(name)}`);
    if (typeof value !== "number" || !Number.isFinite(value))
      throw new RangeError(`metric ${name} is not a finite number: ${value}`);
    parts.push(`${name}=${value}`);
  }
  return parts.join(" ");
}
