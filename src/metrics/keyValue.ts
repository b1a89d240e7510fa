import type { LineCollector } from "./collector.js";
import { STEP_KEY } from "./types.js";
import { readMetricValue, readStep } from "./value.js";

// Commas are separators so that `accuracy=0.91, loss=0.2` reads as two pairs.
const SEPARATORS = /[\s,]+/;

/**
 * Reads `name=value` tokens. Tokens without `=` are ignored, so ordinary log
 * text around the pairs (`Epoch 3: loss=0.2`) does no harm. A value is the
 * whole rest of the token: `accuracy=0.9;` is rejected, not read as 0.9.
 */
export function readKeyValuePairs(text: string, wanted: (name: string) => boolean, out: LineCollector): void {
  if (!text.includes("=")) return;
  for (const token of text.split(SEPARATORS)) {
    const eq = token.indexOf("=");
    if (eq <= 0) continue;
    const key = token.slice(0, eq);
    const raw = token.slice(eq + 1);
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
}
