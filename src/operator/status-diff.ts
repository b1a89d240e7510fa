import { jsonEqual } from "../api/index.js";

/** A status is written only when it really changed; no status yet counts as an empty one. */
export function statusChanged(current: unknown, desired: unknown): boolean {
  return !jsonEqual(current ?? {}, desired);
}
