import { createHash } from "node:crypto";
import type { TuningJobSpec } from "../api/index.js";

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

/** JSON with object keys sorted, so key order in the YAML does not change the hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
