/**
 * The one place that folds a trial's output, line by line, into what both
 * backends record for it: a bounded history of reports, the final value of
 * each metric reduced over every report ever seen, and a count and a few
 * examples of rejected values. Pure (time is passed in), and bounded in memory
 * whatever the input.
 *
 * The history keeps at most `historyLimit` reports: every `stride`-th report
 * (the 1st, the 1+stride-th…) and the newest. When it is full the stride
 * doubles, so a long trial's history still spans its whole run evenly, at a
 * coarser grain: early stopping can compare trials at early steps after they
 * finished, and two trials that printed the same steps keep the same ones.
 */
import { declaredMetricNames, type MetricReport, objectivesOf, type TuningJobSpec } from "../api/index.js";
import { createMetricParser } from "./parser.js";
import type { MetricReduction } from "./reduce.js";
import type { MetricParser, RejectedMetric } from "./types.js";

/** Reports kept per trial, on both backends (a Trial object's status holds them, so it stays small). */
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
  /** Kept reports, oldest first (thinned evenly once there were more than the limit). */
  history: MetricReport[];
  /** Final value per metric, reduced over every report (not only the kept history). */
  metrics: Record<string, number>;
  reportCount: number;
  rejectedCount: number;
  /** One note per kind of rejection, with an example, most recent kind last. */
  lastRejections: string[];
  /** When the first and the last report arrived (ms since the epoch), when the caller passed times. */
  firstReportAt?: number;
  lastReportAt?: number;
}

export interface ReportAccumulator {
  /**
   * One line of output; `truncated` when the reader cut an overlong line
   * (never read as metrics); `at` when it arrived, for telling reports that
   * came while the trial ran from reports that all came at its end.
   */
  addLine(line: string, truncated?: boolean, at?: number): void;
  /** A report already parsed (a simulation, or a log of reports replayed). */
  addReport(report: MetricReport, at?: number): void;
  snapshot(): MetricsSnapshot;
  readonly rejectedCount: number;
  readonly reportCount: number;
}

export function createReportAccumulator(opts: ReportAccumulatorOptions): ReportAccumulator {
  const limit = opts.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 2) {
    throw new RangeError(`historyLimit must be an integer of at least 2, got ${limit}`);
  }
  // Reports on the grid (ordinal % stride === 0, counting from 0), and the newest when it is off the grid.
  let grid: { ordinal: number; report: MetricReport }[] = [];
  let stride = 1;
  let newest: { ordinal: number; report: MetricReport } | undefined;
  const reduced = new Map<string, number>();
  // Kind of rejection → note with its first example; Map order is "most recently seen last".
  const notes = new Map<string, string>();
  let rejectedCount = 0;
  let reportCount = 0;
  let firstReportAt: number | undefined;
  let lastReportAt: number | undefined;

  function note(kind: string, example: string): void {
    rejectedCount++;
    const text = notes.get(kind) ?? `${kind} (e.g. ${example})`;
    notes.delete(kind);
    notes.set(kind, text);
    if (notes.size > REJECTION_NOTES_KEPT) notes.delete(notes.keys().next().value as string);
  }

  function keep(report: MetricReport, at: number | undefined): void {
    reportCount++;
    if (at !== undefined) {
      firstReportAt ??= at;
      lastReportAt = at;
    }
    const ordinal = reportCount - 1;
    newest = { ordinal, report };
    if (ordinal % stride === 0) {
      grid.push(newest);
      // One place stays free for the newest report when it is off the grid.
      if (grid.length >= limit) {
        stride *= 2;
        grid = grid.filter((g) => g.ordinal % stride === 0);
      }
    }
    for (const [name, value] of Object.entries(report.values)) {
      const before = reduced.get(name);
      const reduction = opts.reductionOf(name);
      if (before === undefined || reduction === "Last") reduced.set(name, value);
      else reduced.set(name, reduction === "Min" ? Math.min(before, value) : Math.max(before, value));
    }
  }

  function addLine(line: string, truncated = false, at?: number): void {
    if (truncated) {
      note("an overlong output line was cut and not read for metrics", `${line.slice(0, 40)}…`);
      return;
    }
    const { samples, rejected } = opts.parser.parseLine(line);
    for (const r of rejected) note(rejectionKind(r), JSON.stringify(r.raw));
    if (samples.length === 0) return;
    const report: MetricReport = { values: {} };
    for (const s of samples) {
      report.values[s.name] = s.value;
      if (s.step !== undefined) report.step = s.step;
    }
    keep(report, at);
  }

  function addReport(report: MetricReport, at?: number): void {
    keep(copyReport(report), at);
  }

  function keptReports(): MetricReport[] {
    const reports = grid.map((g) => g.report);
    if (newest && grid.at(-1) !== newest) reports.push(newest.report);
    return reports;
  }

  return {
    addLine,
    addReport,
    snapshot: () => ({
      history: keptReports().map(copyReport),
      metrics: Object.fromEntries(reduced),
      reportCount,
      rejectedCount,
      lastRejections: [...notes.values()],
      ...(firstReportAt !== undefined && { firstReportAt }),
      ...(lastReportAt !== undefined && { lastReportAt }),
    }),
    get rejectedCount() {
      return rejectedCount;
    },
    get reportCount() {
      return reportCount;
    },
  };
}

/** The accumulator a TuningJob's spec asks for: its declared metrics, its regexes, its objectives' reductions. */
export function accumulatorForSpec(spec: TuningJobSpec, historyLimit?: number): ReportAccumulator {
  const parser = createMetricParser({
    declared: declaredMetricNames(spec),
    definitions: spec.metrics.definitions,
  });
  const reductions = new Map(objectivesOf(spec).map((o) => [o.name, o.reduction]));
  return createReportAccumulator({
    parser,
    reductionOf: (name) => reductions.get(name) ?? "Last",
    ...(historyLimit !== undefined && { historyLimit }),
  });
}

/** An accumulator that has seen nothing, as a snapshot. */
export function emptySnapshot(): MetricsSnapshot {
  return { history: [], metrics: {}, reportCount: 0, rejectedCount: 0, lastRejections: [] };
}

function rejectionKind(r: RejectedMetric): string {
  return `${r.name ? `${r.name}: ` : ""}${r.reason}`;
}

function copyReport(r: MetricReport): MetricReport {
  return r.step === undefined ? { values: { ...r.values } } : { step: r.step, values: { ...r.values } };
}
