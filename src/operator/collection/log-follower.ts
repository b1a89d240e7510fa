/**
 * Follows one container's log from its beginning into an accumulator, for as
 * long as the container runs. When the stream drops while the container still
 * runs, it reconnects and reads the log again from the start into a fresh
 * accumulator: the full log is the truth, so nothing is counted twice and no
 * offset has to be remembered across a dropped connection or a restarted
 * operator. The fresh accumulator replaces the shown one once it has caught
 * up (as many reports), so a reconnect never makes the history shrink.
 */
import type { TuningJobSpec } from "../../api/index.js";
import {
  accumulatorForSpec,
  emptySnapshot,
  type MetricsSnapshot,
  type ReportAccumulator,
} from "../../metrics/accumulator.js";
import type { ContainerState, ContainerStateReader } from "./container-state.js";
import type { PodLogSource } from "./log-source.js";

/** Failed reads of a container that has ended before the follower gives up on it. */
const MAX_READS_OF_ENDED_CONTAINER = 3;

export interface FollowTarget {
  namespace: string;
  pod: string;
  container: string;
  spec: TuningJobSpec;
}

export interface FollowerOptions {
  source: PodLogSource;
  containerState: ContainerStateReader;
  /** Least time between two `onUpdate` calls. */
  throttleMs: number;
  /** First wait before a retry; doubles on each failure up to `maxRetryDelayMs`. */
  retryDelayMs: number;
  maxRetryDelayMs: number;
  historyLimit?: number;
  /** Told about each failed attempt (the follower retries by itself); for logging. */
  onError?: (err: unknown) => void;
}

export interface FollowSnapshot extends MetricsSnapshot {
  /** False once the container has ended (or the pod is gone) and its whole log was read. */
  following: boolean;
  /** The last failed attempt's message, e.g. a 403 when the operator may not read pods/log. */
  lastError?: string;
  /** When this follower began (ms): arrival times mean something only if it watched from the start. */
  followingSince: number;
}

export class LogFollower {
  private readonly abort = new AbortController();
  private shown: ReportAccumulator | undefined;
  private following = true;
  private lastError: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastUpdate = 0;
  /**
   * When a report was first seen. Every attempt reads the log from its start,
   * so the first report is the same one each time: a re-read (and the final
   * read after the container ended) must not make it look as if it came late.
   */
  private firstReportSeenAt: number | undefined;
  private readonly followingSince = Date.now();

  constructor(
    readonly target: FollowTarget,
    private onUpdate: () => void,
    private readonly opts: FollowerOptions,
  ) {
    // run() handles its own failures; this only keeps a bug from becoming an unhandled rejection.
    this.run().catch((err: unknown) => {
      this.lastError = err instanceof Error ? err.message : String(err);
      this.opts.onError?.(err);
      this.finish();
    });
  }

  /** The latest callback wins, so a controller may pass a fresh closure on every reconcile. */
  setOnUpdate(onUpdate: () => void): void {
    this.onUpdate = onUpdate;
  }

  snapshot(): FollowSnapshot {
    return {
      ...(this.shown?.snapshot() ?? emptySnapshot()),
      ...(this.firstReportSeenAt !== undefined && { firstReportAt: this.firstReportSeenAt }),
      following: this.following,
      followingSince: this.followingSince,
      ...(this.lastError !== undefined && { lastError: this.lastError }),
    };
  }

  stop(): void {
    this.abort.abort();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    const { namespace, pod, container } = this.target;
    let delay = this.opts.retryDelayMs;
    let endedFailures = 0;
    while (!this.stopped) {
      const before = await this.state();
      if (this.stopped) return;
      if (before === "gone") return this.finish();
      if (before === "waiting" || before === undefined) {
        await this.sleep(delay);
        delay = Math.min(delay * 2, this.opts.maxRetryDelayMs);
        continue;
      }
      const attempt = accumulatorForSpec(this.target.spec, this.opts.historyLimit);
      let failed = false;
      try {
        await this.opts.source.stream(namespace, pod, container, {
          follow: before === "running",
          signal: this.abort.signal,
          onLine: (line, truncated) => {
            attempt.addLine(line, truncated, Date.now());
            if (attempt.reportCount > 0) this.firstReportSeenAt ??= Date.now();
            this.offer(attempt, false);
          },
        });
      } catch (err) {
        failed = true;
        this.lastError = err instanceof Error ? err.message : String(err);
        this.opts.onError?.(err);
      }
      if (this.stopped) return;
      const after = before === "terminated" ? before : await this.state();
      if (after === "terminated" || after === "gone") {
        // A complete read of an ended container is final, even if shorter (a rotated log).
        if (!failed) this.offer(attempt, true);
        if (!failed || after === "gone") return this.finish();
        // An ended container whose log cannot be read (deleted, forbidden) is not waited on forever.
        if (++endedFailures >= MAX_READS_OF_ENDED_CONTAINER) return this.finish();
      }
      // Still running (or the read failed): read again from the start, after a pause.
      if (!failed) delay = this.opts.retryDelayMs;
      await this.sleep(delay);
      if (failed) delay = Math.min(delay * 2, this.opts.maxRetryDelayMs);
    }
  }

  private async state(): Promise<ContainerState | undefined> {
    const { namespace, pod, container } = this.target;
    try {
      return await this.opts.containerState(namespace, pod, container);
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
      this.opts.onError?.(err);
      return undefined;
    }
  }

  /** Shows `attempt` once it has caught up with what is shown (or when it is final). */
  private offer(attempt: ReportAccumulator, final: boolean): void {
    const shown = this.shown;
    if (shown === attempt) {
      this.changed();
      return;
    }
    if (final || shown === undefined || attempt.reportCount >= shown.reportCount) {
      this.shown = attempt;
      this.changed();
    }
  }

  private finish(): void {
    this.following = false;
    // The end is news the controller should not wait a throttle period for.
    clearTimeout(this.timer);
    this.timer = undefined;
    this.fire();
  }

  private changed(): void {
    if (this.timer !== undefined || this.stopped) return;
    const wait = Math.max(0, this.lastUpdate + this.opts.throttleMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.fire();
    }, wait);
  }

  private fire(): void {
    if (this.stopped) return;
    this.lastUpdate = Date.now();
    try {
      this.onUpdate();
    } catch (err) {
      this.opts.onError?.(err);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.abort.signal;
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done, { once: true });
    });
  }
}
