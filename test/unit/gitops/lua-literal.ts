// JSON values as Lua table constructors: how Argo CD hands `obj` to a health
// script (a Lua table decoded from the object's JSON).
export function luaLiteral(value: unknown): string {
  if (value === null || value === undefined) return "nil";
  if (typeof value === "string") return JSON.stringify(value); // JSON escapes are valid Lua escapes here
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `{${value.map(luaLiteral).join(", ")}}`;
  const entries = Object.entries(value as Record<string, unknown>).map(
    ([key, v]) => `[${JSON.stringify(key)}] = ${luaLiteral(v)}`,
  );
  return `{${entries.join(", ")}}`;
}
