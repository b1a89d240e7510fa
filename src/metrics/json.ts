import type { LineCollector } from "./collector.js";
import { STEP_KEY } from "./types.js";
import { checkFinite, checkStep } from "./value.js";

/**
 * Reads a JSON object line. Only top-level numeric fields count. The parsed
 * object is only iterated, never merged into another object, so keys such as
 * `__proto__` or `constructor` are plain names here (and ignored unless declared).
 */
export function readJsonObject(
  text: string,
  wantedNames: readonly string[],
  wanted: (name: string) => boolean,
  out: LineCollector,
): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    rejectInvalidJson(text, wantedNames, out);
    return;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return;
  for (const [key, value] of Object.entries(parsed)) {
    if (key === STEP_KEY) {
      readJsonStep(value, out);
    } else if (wanted(key)) {
      if (typeof value !== "number") {
        out.reject(key, describe(value), "expected a JSON number");
        continue;
      }
      const read = checkFinite(value);
      if (read.ok) out.value(key, read.value);
      else out.reject(key, String(value), read.reason);
    }
  }
}

function readJsonStep(value: unknown, out: LineCollector): void {
  if (typeof value !== "number") {
    out.rejectStep(describe(value), "step must be a non-negative integer");
    return;
  }
  const step = checkStep(value);
  if (step.ok) out.setStep(step.value, String(value));
  else out.rejectStep(String(value), step.reason);
}

// Python's json.dumps writes NaN/Infinity, which is not JSON; say so for the
// declared names the line mentions instead of dropping it silently.
function rejectInvalidJson(text: string, wantedNames: readonly string[], out: LineCollector): void {
  for (const name of wantedNames) {
    if (text.includes(`"${name}"`) || text.includes(`'${name}'`)) {
      out.reject(name, text, "line starts with { but is not valid JSON (NaN and Infinity are not JSON)");
    }
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null) return "null";
  if (typeof value === "object") return Array.isArray(value) ? "[array]" : "{object}";
  return String(value);
}
