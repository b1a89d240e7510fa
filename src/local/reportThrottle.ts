/**
 * Which of a running trial's reports are written to `trials.jsonl`: all of
 * its first ones, then at most one a second, the latest (a trailing write
 * catches the last of a burst). So a trial printing 200,000 metric lines adds
 * a few hundred lines to the job's state, not 200,000, while a reader of the
 * running job (the dashboard) still sees its newest report within a second.
 * Nothing is lost by the gaps: the engine works from memory, the finished
 * event carries the trial's history, and a re-run after --resume repeats
 * them anyway.
 */
import { DEFAULT_HISTORY_LIMIT } from "../metrics/accumulator.js";

export interface ReportThrottleOptions {
  /** Reports written one for one before the pace is limited. */
  inFull?: number;
  everyMs?: number;
}

export class ReportThrottle {
  private reports = 0;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private trailing: NodeJS.Timeout | undefined;
  private readonly inFull: number;
  private readonly everyMs: number;

  /** `write` appends the trial's latest report. */
  constructor(
    private readonly write: () => void,
    opts: ReportThrottleOptions = {},
  ) {
    this.inFull = opts.inFull ?? DEFAULT_HISTORY_LIMIT;
    this.everyMs = opts.everyMs ?? 1_000;
  }

  /** A new report arrived. */
  report(): void {
    this.reports++;
    const now = Date.now();
    if (this.reports <= this.inFull || now - this.lastWriteAt >= this.everyMs) {
      this.writeNow(now);
      return;
    }
    this.trailing ??= setTimeout(() => this.writeNow(Date.now()), this.lastWriteAt + this.everyMs - now);
    // Never what keeps the runner's process alive.
    this.trailing.unref();
  }

  /** The trial ended: its finished event follows, so a pending write is dropped. */
  close(): void {
    clearTimeout(this.trailing);
    this.trailing = undefined;
  }

  private writeNow(now: number): void {
    this.close();
    this.lastWriteAt = now;
    this.write();
  }
}
