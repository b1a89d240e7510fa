import type { LineCollector } from "./collector.js";
import { STEP_KEY } from "./types.js";
import { looksNumeric, readMetricValue, readStep } from "./value.js";

// Commas are separators so that `accuracy=0.91, loss=0.2` reads as two pairs.
const SEPARATORS = /[\s,]+/;
// `accuracy = 0.91` means `accuracy=0.91`.
const SPACED_EQUALS = /\s*=\s*/g;

/**
 * Reads `name=value` pairs and, for declared names (and `step`), `name: value`
 * pairs (`epoch 3: accuracy: 0.91, loss: 0.2`). Tokens that are neither are
 * ignored, so ordinary log text around the pairs (`Epoch 3: loss=0.2`) does no
 * harm. An `=` value is the whole rest of the token: `accuracy=0.9;` is
 * rejected, not read as 0.9. A `:` is a looser sign of a pair, so it counts
 * only when a number follows (`accuracy: improved` is no pair at all).
 */
export function readKeyValuePairs(text: string, wanted: (name: string) => boolean, out: LineCollector): void {
  if (!text.includes("=") && !text.includes(":")) return;
  const tokens = text.replace(SPACED_EQUALS, "=").split(SEPARATORS);
  tokens.forEach((token, i) => {
    const eq = token.indexOf("=");
    if (eq >= 0) {
      if (eq > 0) readPair(token.slice(0, eq), token.slice(eq + 1), wanted, out);
      return;
    }
    const colon = token.indexOf(":");
    if (colon <= 0) return;
    const key = token.slice(0, colon);
    const raw = colon === token.length - 1 ? (tokens[i + 1] ?? "") : token.slice(colon + 1);
    if (looksNumeric(raw)) readPair(key, raw, wanted, out);
  });
}

function readPair(key: string, raw: string, wanted: (name: string) => boolean, out: LineCollector): void {
  if (key === STEP_KEY) {
    const step = readStep(raw);
    if (step.ok) out.setStep(step.value, raw);
    else out.rejectStep(raw, step.reason);
  } else if (wanted(key)) {
    const read = readMetricValue(raw);
    if (read.ok) out.value(key, read.value);
    else out.reject(key, raw, read.reason);
  }
}
