// Leader election on a coordination.k8s.io/v1 Lease, following client-go's
// leaderelection package:
// - a candidate takes the lease when it is free (no holder) or expired. Expiry
//   is judged by the local clock: leaseDurationSeconds after we last saw the
//   record change, never by comparing our clock with the holder's renewTime;
// - every write is a PUT carrying the resourceVersion we read, so of two
//   candidates racing for the same record exactly one wins (the other gets 409);
// - the leader renews every retryPeriod and steps down when it could not renew
//   for renewDeadline (< leaseDuration, so it stops before anyone may take over);
// - a clean stop first ends the leader's work, then empties holderIdentity so
//   a standby takes over on its next try instead of waiting for expiry.
import { CoordinationV1Api, type KubeConfig, type V1Lease, V1MicroTime } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { interruptibleSleep } from "./backoff.js";
import { isAlreadyExists, isConflict, isNotFound } from "./errors.js";
import { withTimeout } from "./timeout.js";

export interface LeaderElectionOptions {
  kc: KubeConfig;
  namespace: string;
  /** The Lease's name. */
  name: string;
  /** Unique per candidate, e.g. the pod name. */
  identity: string;
  leaseDurationSeconds?: number;
  renewDeadlineSeconds?: number;
  retryPeriodSeconds?: number;
  log: Logger;
  /** Called once this candidate leads; not awaited (it may run for as long as it leads). */
  onStartedLeading: () => void | Promise<void>;
  /** Called when leadership ends (lost, or stop()); awaited before the lease is released or retried. */
  onStoppedLeading: () => void | Promise<void>;
}

export interface LeaderElection {
  /** Stops campaigning; if leading, ends the leader's work and releases the lease. */
  stop(): Promise<void>;
  isLeader(): boolean;
}

export function startLeaderElection(options: LeaderElectionOptions): LeaderElection {
  const { namespace, name, identity } = options;
  const leaseDurationMs = (options.leaseDurationSeconds ?? 15) * 1000;
  const renewDeadlineMs = (options.renewDeadlineSeconds ?? 10) * 1000;
  const retryPeriodMs = (options.retryPeriodSeconds ?? 2) * 1000;
  if (renewDeadlineMs >= leaseDurationMs)
    throw new Error("renewDeadlineSeconds must be below leaseDurationSeconds");
  if (retryPeriodMs >= renewDeadlineMs)
    throw new Error("retryPeriodSeconds must be below renewDeadlineSeconds");
  const api = options.kc.makeApiClient(CoordinationV1Api);
  const log = options.log.child({ lease: `${namespace}/${name}`, identity });

  let stopped = false;
  let leading = false;
  /** performance.now() when the last successful renew was sent. */
  let renewedAt = Number.NEGATIVE_INFINITY;
  let observedVersion: string | undefined;
  let observedAt = 0;
  let lastLease: V1Lease | undefined;
  let wake: (() => void) | undefined;

  // Dates must go out with six fractional digits (MicroTime); Date#toISOString has three.
  const now = () => new V1MicroTime();

  /** Takes or renews the lease; true when we hold it afterwards. */
  async function tryAcquireOrRenew(): Promise<boolean> {
    const sentAt = performance.now();
    let current: V1Lease;
    try {
      current = await api.readNamespacedLease({ name, namespace });
    } catch (error) {
      if (!isNotFound(error)) throw error;
      const body: V1Lease = {
        metadata: { name, namespace },
        spec: {
          holderIdentity: identity,
          leaseDurationSeconds: leaseDurationMs / 1000,
          acquireTime: now(),
          renewTime: now(),
          leaseTransitions: 0,
        },
      };
      try {
        lastLease = await api.createNamespacedLease({ namespace, body });
      } catch (createError) {
        if (isAlreadyExists(createError)) return false;
        throw createError;
      }
      observe(lastLease);
      renewedAt = sentAt;
      return true;
    }
    lastLease = current;
    observe(current);
    const spec = current.spec ?? {};
    const holder = spec.holderIdentity ?? "";
    const duration = (spec.leaseDurationSeconds ?? leaseDurationMs / 1000) * 1000;
    if (holder !== "" && holder !== identity && performance.now() < observedAt + duration) return false;

    const renewing = holder === identity;
    const body: V1Lease = {
      ...current,
      spec: {
        ...spec,
        holderIdentity: identity,
        leaseDurationSeconds: leaseDurationMs / 1000,
        // Read back as strings (client-node does not deserialize MicroTime); keep ours on renew.
        acquireTime: renewing && spec.acquireTime ? spec.acquireTime : now(),
        renewTime: now(),
        leaseTransitions: (spec.leaseTransitions ?? 0) + (renewing ? 0 : 1),
      },
    };
    try {
      // metadata.resourceVersion is the one we read: a concurrent writer makes this a 409.
      lastLease = await api.replaceNamespacedLease({ name, namespace, body });
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
    observe(lastLease);
    renewedAt = sentAt;
    return true;
  }

  function observe(lease: V1Lease): void {
    const version = lease.metadata?.resourceVersion;
    if (version !== observedVersion) {
      observedVersion = version;
      observedAt = performance.now();
    }
  }

  /** One try, bounded so a hung request cannot keep a leader from noticing its deadline. */
  async function attempt(timeoutMs: number): Promise<boolean> {
    try {
      return await withTimeout(tryAcquireOrRenew(), Math.max(1, timeoutMs), "lease request");
    } catch (error) {
      log.warn({ err: error }, "lease read or write failed");
      return false;
    }
  }

  async function sleep(ms: number): Promise<void> {
    const s = interruptibleSleep(ms);
    wake = s.wake;
    await s.done;
    wake = undefined;
  }

  async function stopLeading(why: string): Promise<void> {
    leading = false;
    log.info({ why }, "stopped leading");
    try {
      await options.onStoppedLeading();
    } catch (error) {
      log.error({ err: error }, "onStoppedLeading threw");
    }
  }

  async function campaign(): Promise<void> {
    while (!stopped) {
      // Candidate: try now and then every retryPeriod, jittered so candidates spread out.
      if (!(await attempt(renewDeadlineMs))) {
        if (!stopped) await sleep(retryPeriodMs * (1 + 0.2 * Math.random()));
        continue;
      }
      if (stopped) break;
      leading = true;
      log.info("started leading");
      void Promise.resolve()
        .then(options.onStartedLeading)
        .catch((error: unknown) => log.error({ err: error }, "onStartedLeading threw"));
      // Leader: renew every retryPeriod until a renew deadline passes without success.
      while (!stopped) {
        await sleep(retryPeriodMs);
        if (stopped) break;
        if (await attempt(renewedAt + renewDeadlineMs - performance.now())) continue;
        const holder = lastLease?.spec?.holderIdentity ?? "";
        if (holder !== "" && holder !== identity) {
          await stopLeading(`the lease is held by ${holder}`);
          break;
        }
        if (performance.now() - renewedAt >= renewDeadlineMs) {
          await stopLeading("could not renew the lease within renewDeadlineSeconds");
          break;
        }
      }
    }
  }

  async function release(): Promise<void> {
    const lease = lastLease;
    if (!lease?.spec || lease.spec.holderIdentity !== identity) return;
    const body: V1Lease = {
      ...lease,
      spec: {
        ...lease.spec,
        holderIdentity: "",
        leaseDurationSeconds: 1,
        renewTime: now(),
        acquireTime: now(),
      },
    };
    try {
      // Bounded: stop() must not hang on a dead network; the lease then simply expires.
      await withTimeout(
        api.replaceNamespacedLease({ name, namespace, body }),
        renewDeadlineMs,
        "lease release",
      );
      log.info("released the lease");
    } catch (error) {
      // A conflict means someone else already wrote it; there is nothing to hand over.
      log.warn({ err: error }, "could not release the lease");
    }
  }

  const running = campaign().catch((error: unknown) => log.error({ err: error }, "leader election crashed"));

  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      wake?.();
      await running;
      if (leading) await stopLeading("stopped");
      // Also when an acquire landed just as we stopped: hand the lease back.
      await release();
    },
    isLeader() {
      // Also false as soon as the deadline passed, before the renew loop notices.
      return leading && performance.now() - renewedAt < renewDeadlineMs;
    },
  };
}
