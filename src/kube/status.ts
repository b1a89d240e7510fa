// Decides whether a computed status differs from the stored one, and what JSON
// merge patch (RFC 7386) turns one into the other. Pure.

export interface StatusDiff {
  /** True when a write is needed. */
  changed: boolean;
  /**
   * The merge patch from current to desired: changed and new fields, null for
   * fields desired no longer has. Arrays are replaced whole, as merge patch does.
   */
  patch: Record<string, unknown>;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Deep equality of JSON values, ignoring key order; an undefined field counts as absent. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if (!jsonEqual(a[key], b[key])) return false;
  return true;
}

function mergePatchBetween(current: Json, desired: Json): Json {
  const patch: Json = {};
  for (const [key, value] of Object.entries(desired)) {
    if (value === undefined) continue;
    const before = current[key];
    if (jsonEqual(before, value)) continue;
    patch[key] = isObject(before) && isObject(value) ? mergePatchBetween(before, value) : value;
  }
  for (const [key, value] of Object.entries(current)) {
    if (value !== undefined && desired[key] === undefined) patch[key] = null;
  }
  return patch;
}

/** Compares the stored status (possibly absent) with the computed one. */
export function statusDiff(current: object | undefined | null, desired: object): StatusDiff {
  const patch = mergePatchBetween((current ?? {}) as Json, desired as Json);
  return { changed: Object.keys(patch).length > 0, patch };
}
