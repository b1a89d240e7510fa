/**
 * The log followers of the running trials, keyed by trial (`namespace/name`).
 * The Trial controller calls `ensure` on every reconcile of a running trial
 * (idempotent), reads `snapshot` to write the Trial's status, and `stop`s a
 * trial's follower once the trial is finished or deleted. Nothing here is the
 * only copy of anything: a restarted operator follows the logs again from the
 * start and arrives at the same snapshots.
 */
import type { ContainerStateReader } from "./container-state.js";
import { type FollowSnapshot, type FollowTarget, LogFollower } from "./log-follower.js";
import type { PodLogSource } from "./log-source.js";

export interface TrialLogFollowersOptions {
  source: PodLogSource;
  /** Whether a container runs: `podContainerStateReader(kc)`, or a reader over the controller's pod cache. */
  containerState: ContainerStateReader;
  /** Least time between two `onUpdate` calls for one trial. Default 500 ms. */
  throttleMs?: number;
  /** First retry delay (doubling up to 10 s). Default 500 ms. */
  retryDelayMs?: number;
  /** Reports kept per trial. Default 100. */
  historyLimit?: number;
  /** Each failed attempt (the followers retry by themselves); for logging. */
  onError?: (key: string, err: unknown) => void;
}

export class TrialLogFollowers {
  private readonly followers = new Map<string, LogFollower>();

  constructor(private readonly opts: TrialLogFollowersOptions) {}

  /**
   * Starts following unless this trial is already followed on the same pod
   * and container. A different pod (the Job made a new one) restarts the
   * follower, since the new pod's log is a new truth.
   */
  ensure(key: string, target: FollowTarget, onUpdate: () => void): void {
    const current = this.followers.get(key);
    if (current && sameLog(current.target, target)) {
      current.setOnUpdate(onUpdate);
      return;
    }
    current?.stop();
    const onError = this.opts.onError;
    this.followers.set(
      key,
      new LogFollower(target, onUpdate, {
        source: this.opts.source,
        containerState: this.opts.containerState,
        throttleMs: this.opts.throttleMs ?? 500,
        retryDelayMs: this.opts.retryDelayMs ?? 500,
        maxRetryDelayMs: 10_000,
        ...(this.opts.historyLimit !== undefined && { historyLimit: this.opts.historyLimit }),
        ...(onError && { onError: (err: unknown) => onError(key, err) }),
      }),
    );
  }

  /** What the trial's log said so far; undefined for a trial that is not followed. */
  snapshot(key: string): FollowSnapshot | undefined {
    return this.followers.get(key)?.snapshot();
  }

  has(key: string): boolean {
    return this.followers.has(key);
  }

  stop(key: string): void {
    this.followers.get(key)?.stop();
    this.followers.delete(key);
  }

  stopAll(): void {
    for (const follower of this.followers.values()) follower.stop();
    this.followers.clear();
  }
}

function sameLog(a: FollowTarget, b: FollowTarget): boolean {
  return a.namespace === b.namespace && a.pod === b.pod && a.container === b.container;
}
