import type { MetricSample, ParseResult, RejectedMetric } from "./types.js";
import { STEP_KEY } from "./types.js";
import { truncateRaw } from "./value.js";

/**
 * Gathers what one line says. A name given twice on a line keeps its last
 * occurrence (as JSON.parse does with duplicate keys), so a line never yields
 * more samples or rejections than there are declared names. The step applies
 * to every sample of the line; a bad or conflicting step is rejected and the
 * line's values are kept without a step (a final value is still useful).
 */
export class LineCollector {
  private readonly values = new Map<string, number>();
  private readonly rejections = new Map<string, RejectedMetric>();
  private readonly lineRejections: RejectedMetric[] = [];
  private step: number | undefined;
  private stepRejected = false;

  value(name: string, value: number): void {
    this.rejections.delete(name);
    this.values.set(name, value);
  }

  reject(name: string, raw: string, reason: string): void {
    this.values.delete(name);
    this.rejections.set(name, { name, raw: truncateRaw(raw), reason });
  }

  setStep(step: number, raw: string): void {
    if (this.stepRejected) return;
    if (this.step !== undefined && this.step !== step) {
      this.rejectStep(raw, "conflicting step values on one line");
      return;
    }
    this.step = step;
  }

  rejectStep(raw: string, reason: string): void {
    if (this.stepRejected) return;
    this.stepRejected = true;
    this.step = undefined;
    this.lineRejections.push({ name: STEP_KEY, raw: truncateRaw(raw), reason });
  }

  rejectLine(raw: string, reason: string): void {
    this.lineRejections.push({ raw: truncateRaw(raw), reason });
  }

  finish(): ParseResult {
    const samples: MetricSample[] = [];
    for (const [name, value] of this.values) {
      samples.push(this.step === undefined ? { name, value } : { name, value, step: this.step });
    }
    return { samples, rejected: [...this.lineRejections, ...this.rejections.values()] };
  }
}
