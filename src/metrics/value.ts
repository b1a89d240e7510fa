/**
 * Strict reading of metric values and steps. `Number()` alone is too lenient
 * (it accepts "", " ", "0x10", "Infinity"), so the text must first look like a
 * decimal or scientific literal.
 */

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

/** Rejections keep at most this much of the offending text, so a hostile line is not echoed back whole. */
export const MAX_RAW_LENGTH = 120;

export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Whether the text is written as a number, finite or not (`0.91`, `1e999`, `nan`); says nothing of its range. */
export function looksNumeric(text: string): boolean {
  return text.length <= MAX_RAW_LENGTH && (DECIMAL.test(text) || NON_FINITE.test(text));
}

export function readMetricValue(text: string): Read<number> {
  if (text === "") return { ok: false, reason: "empty value" };
  if (NON_FINITE.test(text)) return { ok: false, reason: "not a finite number" };
  if (text.length > MAX_RAW_LENGTH || !DECIMAL.test(text)) return { ok: false, reason: "not a number" };
  return checkFinite(Number(text));
}

/** For values that are already numbers (JSON); JSON.parse turns `1e999` into Infinity. */
export function checkFinite(value: number): Read<number> {
  if (Number.isNaN(value)) return { ok: false, reason: "not a finite number" };
  if (!Number.isFinite(value)) return { ok: false, reason: "number out of range (overflow)" };
  return { ok: true, value };
}

export function checkStep(value: number): Read<number> {
  if (!Number.isSafeInteger(value) || value < 0) {
    return { ok: false, reason: "step must be a non-negative integer" };
  }
  return { ok: true, value };
}

export function readStep(text: string): Read<number> {
  const read = readMetricValue(text);
  return read.ok ? checkStep(read.value) : { ok: false, reason: `step: ${read.reason}` };
}

export function truncateRaw(text: string): string {
  return text.length <= MAX_RAW_LENGTH ? text : `${text.slice(0, MAX_RAW_LENGTH)}…`;
}
