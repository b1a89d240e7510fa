/**
 * The GPU time a job has used, for limits.maxGpuHours: each trial's GPUs ×
 * the wall time from its first start to its end (or to now while it runs),
 * retired trials included. Pure; the same rule for both backends.
 */
import type { TrialObservation, TuningJobSpec } from "../api/index.js";
import { isActive } from "../api/index.js";

export function gpuSecondsUsed(
  spec: TuningJobSpec,
  trials: readonly TrialObservation[],
  now: number,
  retiredGpuSeconds = 0,
): number {
  const gpus = spec.trialTemplate.gpus;
  if (gpus === 0) return retiredGpuSeconds;
  let ms = 0;
  for (const t of trials) {
    if (t.startedAt === undefined) continue;
    const end = isActive(t) ? now : (t.finishedAt ?? now);
    ms += Math.max(0, end - t.startedAt);
  }
  return retiredGpuSeconds + (gpus * ms) / 1000;
}
