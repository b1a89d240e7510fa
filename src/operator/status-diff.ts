/** Deep equality that ignores key order: a status is written only when it really changed. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

export function statusChanged(current: unknown, desired: unknown): boolean {
  return JSON.stringify(canonical(current ?? {})) !== JSON.stringify(canonical(desired));
}
