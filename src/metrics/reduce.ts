import type { MetricSample } from "./types.js";

export type MetricReduction = "Min" | "Max" | "Last";

/**
 * One number for a metric over a trial's samples: the smallest, the largest,
 * or the last reported (arrival order, which is what a trial printed last,
 * even if its steps went backwards). Undefined when the metric never appeared.
 */
export function reduceSamples(
  samples: readonly MetricSample[],
  name: string,
  reduction: MetricReduction,
): number | undefined {
  let result: number | undefined;
  for (const sample of samples) {
    if (sample.name !== name || !Number.isFinite(sample.value)) continue;
    if (result === undefined || reduction === "Last") result = sample.value;
    else if (reduction === "Min") result = Math.min(result, sample.value);
    else result = Math.max(result, sample.value);
  }
  return result;
}
