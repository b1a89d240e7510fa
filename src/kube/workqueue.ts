// A de-duplicating, rate-limited work queue with client-go's semantics:
// - a key queued several times is handed out once;
// - a key being processed is never handed out again until `done(key)`; if it
//   was added meanwhile, it is queued again at `done` (so no change is lost);
// - `addRateLimited` waits base·2^failures (capped, jittered) per key until
//   `forget(key)` resets it.
// Pure: only timers, no I/O, so it is unit-tested with fake timers.

export interface WorkQueueOptions {
  /** First retry delay of `addRateLimited`. Default 5 ms. */
  baseDelayMs?: number;
  /** Cap of the per-key exponential backoff. Default 5 minutes. */
  maxDelayMs?: number;
  /** Up to this fraction is added at random to each backoff delay. Default 0.1. */
  jitter?: number;
  /** Source of randomness in [0, 1), replaceable in tests. */
  random?: () => number;
}

export class WorkQueue {
  private readonly queue: string[] = [];
  /** Keys that need processing: queued, or re-added while processing. */
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly waiters: ((key: string | undefined) => void)[] = [];
  private readonly delayed = new Map<string, { timer: ReturnType<typeof setTimeout>; readyAt: number }>();
  private readonly failures = new Map<string, number>();
  private shuttingDown = false;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly jitter: number;
  private readonly random: () => number;

  constructor(options: WorkQueueOptions = {}) {
    this.baseDelayMs = options.baseDelayMs ?? 5;
    this.maxDelayMs = options.maxDelayMs ?? 5 * 60_000;
    this.jitter = options.jitter ?? 0.1;
    this.random = options.random ?? Math.random;
  }

  /** Keys waiting to be handed out (not counting delayed or in-process ones). */
  get length(): number {
    return this.queue.length;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return; // re-queued by done()
    this.queue.push(key);
    this.dispatch();
  }

  /**
   * Adds `key` after `ms`. While a delayed add is pending, a later one does not
   * push it back; an earlier one brings it forward (like client-go).
   */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const readyAt = Date.now() + ms;
    const pending = this.delayed.get(key);
    if (pending) {
      if (pending.readyAt <= readyAt) return;
      clearTimeout(pending.timer);
    }
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    // A pending retry alone should not keep a process alive.
    (timer as { unref?: () => void }).unref?.();
    this.delayed.set(key, { timer, readyAt });
  }

  /** Adds `key` after its next backoff delay and counts one more failure. */
  addRateLimited(key: string): void {
    this.addAfter(key, this.nextDelay(key));
  }

  /** The delay `addRateLimited` would use now, and counts the failure. */
  nextDelay(key: string): number {
    const failures = this.failures.get(key) ?? 0;
    this.failures.set(key, failures + 1);
    // 2^failures overflows to Infinity for large counts; the cap handles it.
    const exponential = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** failures);
    return Math.min(this.maxDelayMs, exponential * (1 + this.jitter * this.random()));
  }

  /** Stops tracking `key`'s failures, so its next backoff starts from the base again. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** How many times `key` was rate-limited since it was last forgotten. */
  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /**
   * The next key to process, waiting for one if needed; undefined once the queue
   * is shut down. The caller must call `done(key)` when finished with it.
   */
  get(): Promise<string | undefined> {
    if (this.shuttingDown) return Promise.resolve(undefined);
    const key = this.queue.shift();
    if (key !== undefined) {
      this.take(key);
      return Promise.resolve(key);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks `key` processed; if it was added while processing, queues it again. */
  done(key: string): void {
    if (!this.processing.delete(key)) return;
    if (this.dirty.has(key) && !this.shuttingDown) {
      this.queue.push(key);
      this.dispatch();
    }
  }

  /** Hands `undefined` to every waiting `get()`, drops pending delayed adds, accepts nothing more. */
  shutDown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
  }

  private take(key: string): void {
    this.dirty.delete(key);
    this.processing.add(key);
  }

  // Hands queued keys straight to waiting getters, so no wake-up can be lost.
  private dispatch(): void {
    while (this.waiters.length > 0 && this.queue.length > 0) {
      const key = this.queue.shift() as string;
      const waiter = this.waiters.shift() as (key: string | undefined) => void;
      this.take(key);
      waiter(key);
    }
  }
}
