import { createHash } from "node:crypto";
import { canonicalJson, type TuningJobSpec } from "../api/index.js";

/**
 * A hash of what decides the meaning of recorded trials: objective, metrics,
 * space, search, early stopping and the trial template. `limits` and
 * `suspend` are left out so a resumed run may raise maxTrials, parallelism or
 * timeouts without being refused.
 */
export function specHash(spec: TuningJobSpec): string {
  const { limits: _limits, suspend: _suspend, ...meaningful } = spec;
  return createHash("sha256").update(canonicalJson(meaningful)).digest("hex").slice(0, 16);
}
