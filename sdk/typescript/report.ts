/**
 * Report metrics to hypertune from TypeScript/JavaScript training code:
 *
 *     import { report } from "./report.js";
 *     report(3, { accuracy: 0.91, loss: 0.2 }); // hypertune: step=3 accuracy=0.91 loss=0.2
 *
 * Self-contained so it can be copied next to a training script.
 */

// Names that read back unchanged from the line format (see src/metrics/format.ts).
const NAME = /^[A-Za-z_][A-Za-z0-9_.\-/]*$/;

/** The canonical metric line; throws RangeError for values hypertune would reject. */
export function formatLine(step: number | undefined, metrics: Record<string, number>): string {
  const parts = ["hypertune:"];
  if (step !== undefined) {
    if (!Number.isSafeInteger(step) || step < 0)
      throw new RangeError(`step must be a non-negative integer, got ${step}`);
    parts.push(`step=${step}`);
  }
  for (const [name, value] of Object.entries(metrics)) {
    if (!NAME.test(name) || name === "step")
      throw new RangeError(`invalid metric name ${JSON.stringify(name)}`);
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new RangeError(`metric ${name} is not a finite number: ${String(value)}`);
    }
    parts.push(`${name}=${value}`); // String(number) reads back as the same double
  }
  return parts.join(" ");
}

/** Prints the metric line. Node writes stdout synchronously to files and pipes, so nothing waits in a buffer. */
export function report(step: number | undefined, metrics: Record<string, number>): void {
  process.stdout.write(`${formatLine(step, metrics)}\n`);
}
