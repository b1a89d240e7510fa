/**
 * JSON with object keys sorted and undefined fields left out, so that values
 * that mean the same serialize the same whatever their key order. The one
 * canonical form: the local backend hashes specs with it, and both backends
 * compare a computed status with the stored one through `jsonEqual`.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    // What JSON.stringify would send, e.g. a Date's ISO string.
    const toJSON = (value as { toJSON?: () => unknown }).toJSON;
    if (typeof toJSON === "function") return canonicalJson(toJSON.call(value));
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Deep equality of JSON values, ignoring key order; an undefined field counts as absent. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return a === b || canonicalJson(a) === canonicalJson(b);
}
