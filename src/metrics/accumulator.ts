/**
 * Folds a trial's output, line by line, into what a Trial's status holds: a
 * bounded history of reports, the final value of each metric reduced over
 * every report ever seen, and a count and a few examples of rejected values.
 * Pure, and bounded in memory whatever the input: the history is a ring of
 * `historyLimit` reports, the reduced values are one number per declared
 * metric, and only a handful of distinct rejection notes are kept.
 */
import type { MetricReport } from "../api/observation.js";
import type { MetricReduction } from "./reduce.js";
import type { MetricParser, RejectedMetric } from "./types.js";

export const DEFAULT_HISTORY_LIMIT = 100;
/** How many distinct rejection notes are kept for the Trial's message. */
export const REJECTION_NOTES_KEPT = 5;

export interface ReportAccumulatorOptions {
  parser: MetricParser;
  /** How a metric's final value is reduced; objectives say, every other metric is Last. */
  reductionOf: (name: string) => MetricReduction;
  historyLimit?: number;
}

/** What the accumulator knows, as plain data (what a Trial's status is written from). */
export interface MetricsSnapshot {
  /** The most recent reports, oldest first. */
  history: MetricReport[];
  /** Final value per metric, reduced over every report (not only the kept history). */
  metrics: Record<string, number>;
  reportCount: number;
  rejectedCount: number;
  lastRejections: string[];
}

export interface ReportAccumulator {
  /** One line of output; `truncated` when the reader cut an overlong line (never read as metrics). */
  addLine(line: string, truncated?: boolean): void;
  history(): MetricReport[];
  metrics(): Record<string, number>;
  lastRejections(): string[];
  snapshot(): MetricsSnapshot;
  readonly rejectedCount: number;
  readonly reportCount: number;
}

export function createReportAccumulator(opts: ReportAccumulatorOptions): ReportAccumulator {
  const limit = opts.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(`historyLimit must be a positive integer, got ${limit}`);
  }
  // A ring buffer: `next` is where the next report goes once the ring is full.
  const ring: MetricReport[] = [];
  let next = 0;
  const reduced = new Map<string, number>();
  const notes: string[] = [];
  let rejectedCount = 0;
  let reportCount = 0;

  function note(text: string): void {
    rejectedCount++;
    // Most recent last; a repeated note moves to the end rather than filling the list.
    const seen = notes.indexOf(text);
    if (seen >= 0) notes.splice(seen, 1);
    notes.push(text);
    if (notes.length > REJECTION_NOTES_KEPT) notes.shift();
  }

  function keep(report: MetricReport): void {
    reportCount++;
    if (ring.length < limit) ring.push(report);
    else {
      ring[next] = report;
      next = (next + 1) % limit;
    }
    for (const [name, value] of Object.entries(report.values)) {
      const before = reduced.get(name);
      const reduction = opts.reductionOf(name);
      if (before === undefined || reduction === "Last") reduced.set(name, value);
      else reduced.set(name, reduction === "Min" ? Math.min(before, value) : Math.max(before, value));
    }
  }

  function addLine(line: string, truncated = false): void {
    if (truncated) {
      note("an overlong output line was cut and not read for metrics");
      return;
    }
    const { samples, rejected } = opts.parser.parseLine(line);
    for (const r of rejected) note(describeRejection(r));
    if (samples.length === 0) return;
    const report: MetricReport = { values: {} };
    for (const s of samples) {
      report.values[s.name] = s.value;
      if (s.step !== undefined) report.step = s.step;
    }
    keep(report);
  }

  const history = (): MetricReport[] => [...ring.slice(next), ...ring.slice(0, next)].map(copyReport);
  const metrics = (): Record<string, number> => Object.fromEntries(reduced);
  const lastRejections = (): string[] => [...notes];

  return {
    addLine,
    history,
    metrics,
    lastRejections,
    snapshot: () => ({
      history: history(),
      metrics: metrics(),
      reportCount,
      rejectedCount,
      lastRejections: lastRejections(),
    }),
    get rejectedCount() {
      return rejectedCount;
    },
    get reportCount() {
      return reportCount;
    },
  };
}

/** An accumulator that has seen nothing, as a snapshot. */
export function emptySnapshot(): MetricsSnapshot {
  return { history: [], metrics: {}, reportCount: 0, rejectedCount: 0, lastRejections: [] };
}

function describeRejection(r: RejectedMetric): string {
  return `${r.name ? `${r.name}: ` : ""}${r.reason} (${JSON.stringify(r.raw)})`;
}

function copyReport(r: MetricReport): MetricReport {
  return r.step === undefined ? { values: { ...r.values } } : { step: r.step, values: { ...r.values } };
}
