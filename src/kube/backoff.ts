// Jittered exponential backoff for supervisors that restart after errors.

export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  /** Fraction of the delay that is randomised, so restarts of many clients spread out. */
  jitter?: number;
  random?: () => number;
}

/** The delay before attempt `failures` (1 for the first retry). */
export function backoffDelay(failures: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 500;
  const max = options.maxMs ?? 30_000;
  const jitter = options.jitter ?? 0.5;
  const random = options.random ?? Math.random;
  const exponential = Math.min(max, base * 2 ** Math.max(0, failures - 1));
  // Spread downwards so the cap stays a cap: delay ∈ [exp·(1−jitter), exp].
  return exponential * (1 - jitter * random());
}

/** A sleep that `wake()` ends early (used to stop supervisors promptly). */
export function interruptibleSleep(ms: number): { done: Promise<void>; wake: () => void } {
  let wake = () => {};
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  return { done, wake };
}
