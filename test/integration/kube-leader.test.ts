// Leader election on a real Lease: of two electors exactly one leads, a clean
// stop hands over at once, and a lease left by a vanished holder is taken only
// after leaseDurationSeconds as measured by the candidate's own clock.
import { CoordinationV1Api, V1MicroTime } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { type LeaderElection, startLeaderElection } from "../../src/kube/index.js";
import { sleep } from "../support/wait.js";
import {
  type ApiProxy,
  captureLog,
  eventually,
  fileNamespace,
  startApiProxy,
  testKubeConfig,
} from "./kube-helpers.js";

const kc = testKubeConfig();
const leases = kc.makeApiClient(CoordinationV1Api);
let namespace = "";
fileNamespace(kc, "kube-leader", (name) => {
  namespace = name;
});

interface Candidate {
  identity: string;
  election: LeaderElection;
  started: number;
  stopped: number;
}

function candidate(identity: string, leaseName: string, leaseDurationSeconds = 3, via = kc): Candidate {
  const { log } = captureLog();
  const c: Candidate = { identity, election: undefined as unknown as LeaderElection, started: 0, stopped: 0 };
  c.election = startLeaderElection({
    kc: via,
    namespace,
    name: leaseName,
    identity,
    leaseDurationSeconds,
    renewDeadlineSeconds: 2,
    retryPeriodSeconds: 0.25,
    log,
    onStartedLeading: () => {
      c.started++;
    },
    onStoppedLeading: () => {
      c.stopped++;
    },
  });
  return c;
}

describe("startLeaderElection", () => {
  it("elects exactly one of two candidates and hands over quickly on a clean stop", async () => {
    const a = candidate("elector-a", "two-electors");
    const b = candidate("elector-b", "two-electors");
    const leaders = () => [a, b].filter((c) => c.election.isLeader());
    try {
      const first = (await eventually("a leader", () => leaders()[0])) as Candidate;
      const other = first === a ? b : a;
      // Watch for a while: never two leaders, and the lease names the leader.
      for (let i = 0; i < 40; i++) {
        expect(leaders()).toHaveLength(1);
        await sleep(50);
      }
      const lease = await leases.readNamespacedLease({ name: "two-electors", namespace });
      expect(lease.spec?.holderIdentity).toBe(first.identity);
      expect(lease.spec?.leaseDurationSeconds).toBe(3);
      expect(first.started).toBe(1);
      expect(other.started).toBe(0);

      const stoppedAt = performance.now();
      await first.election.stop();
      expect(first.election.isLeader()).toBe(false);
      expect(first.stopped).toBe(1);
      await eventually("the other candidate leads", () => other.election.isLeader(), 3_000);
      const handover = performance.now() - stoppedAt;
      console.error(`leader handover after a clean stop: ${handover.toFixed(0)} ms (lease duration 3000 ms)`);
      expect(handover).toBeLessThan(3_000);
      expect(other.started).toBe(1);
      const after = await leases.readNamespacedLease({ name: "two-electors", namespace });
      expect(after.spec?.holderIdentity).toBe(other.identity);
      expect(after.spec?.leaseTransitions).toBeGreaterThanOrEqual(1);
    } finally {
      await a.election.stop();
      await b.election.stop();
    }
    // The last leader released it.
    const released = await leases.readNamespacedLease({ name: "two-electors", namespace });
    expect(released.spec?.holderIdentity ?? "").toBe("");
  });

  it("waits out the lease duration of a holder that vanished without releasing", async () => {
    // A lease renewed "just now" by a holder that will never renew again.
    await leases.createNamespacedLease({
      namespace,
      body: {
        metadata: { name: "ghost", namespace },
        spec: {
          holderIdentity: "ghost",
          leaseDurationSeconds: 2,
          acquireTime: new V1MicroTime(),
          renewTime: new V1MicroTime(),
          leaseTransitions: 0,
        },
      },
    });
    const since = performance.now();
    const c = candidate("successor", "ghost");
    try {
      await eventually("the successor leads", () => c.election.isLeader(), 6_000);
      const waited = performance.now() - since;
      console.error(`took over an abandoned lease after ${waited.toFixed(0)} ms (its duration: 2000 ms)`);
      expect(waited).toBeGreaterThanOrEqual(2_000);
      const lease = await leases.readNamespacedLease({ name: "ghost", namespace });
      expect(lease.spec?.holderIdentity).toBe("successor");
      expect(lease.spec?.leaseTransitions).toBe(1);
    } finally {
      await c.election.stop();
    }
  });

  it("lets many racing candidates elect a single leader (resourceVersion-conditioned writes)", async () => {
    const all = Array.from({ length: 5 }, (_, i) => candidate(`racer-${i}`, "race"));
    try {
      await eventually("a leader", () => all.some((c) => c.election.isLeader()));
      for (let i = 0; i < 20; i++) {
        expect(all.filter((c) => c.election.isLeader())).toHaveLength(1);
        await sleep(50);
      }
      expect(all.reduce((n, c) => n + c.started, 0)).toBe(1);
    } finally {
      await Promise.all(all.map((c) => c.election.stop()));
    }
  });

  it("a leader whose requests hang steps down within renewDeadline; another takes over after the lease expires", async () => {
    const proxy: ApiProxy = await startApiProxy(kc);
    const isolated = candidate("isolated", "partition", 3, proxy.kc);
    let standby: Candidate | undefined;
    try {
      await eventually("the isolated candidate leads", () => isolated.election.isLeader());
      standby = candidate("standby", "partition");
      await sleep(500);
      expect(standby.election.isLeader()).toBe(false);

      const cutAt = performance.now();
      proxy.freeze(); // requests hang rather than fail
      await eventually("the isolated leader steps down", () => isolated.stopped === 1, 5_000);
      const steppedDown = performance.now() - cutAt;
      expect(isolated.election.isLeader()).toBe(false);
      await eventually("the standby leads", () => standby?.election.isLeader(), 10_000);
      const tookOver = performance.now() - cutAt;
      console.error(
        `partitioned leader stepped down after ${steppedDown.toFixed(0)} ms (renew deadline 2000 ms); ` +
          `standby led after ${tookOver.toFixed(0)} ms (lease duration 3000 ms)`,
      );
      // Never both: the old leader gave up before the lease could expire for the standby.
      expect(steppedDown).toBeLessThan(tookOver);
      expect(steppedDown).toBeLessThanOrEqual(2_600);
      expect(tookOver).toBeGreaterThanOrEqual(2_000);
    } finally {
      await isolated.election.stop();
      await standby?.election.stop();
      await proxy.close();
    }
  });
});
