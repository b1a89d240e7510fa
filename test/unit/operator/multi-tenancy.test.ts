// Acting only as far as the requester may: the access gate's cache and
// messages, and both reconcilers refusing to create anything for a requester
// who may not create Jobs (or for none recorded).
import { ApiException } from "@kubernetes/client-node";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { type AccessReview, createAccessGate, JOB_WORKLOAD } from "../../../src/operator/access.js";
import { REQUESTED_BY, REQUESTED_BY_GROUPS, requesterOf } from "../../../src/operator/requester.js";
import { createTrialReconciler } from "../../../src/operator/trial-controller.js";
import { createTuningJobReconciler } from "../../../src/operator/tuningjob-controller.js";
import { fakeCaches, recordingEvents, recordingWrites } from "../../support/fake-operator.js";
import { NAMESPACE, runningStatus, storedTrial, storedTuningJob } from "../../support/operator-objects.js";

const log = pino({ level: "silent" });
const NOW = new Date("2026-01-01T00:00:00Z");
const alice = { [REQUESTED_BY]: "alice", [REQUESTED_BY_GROUPS]: "team-a,system:authenticated" };

/** A review that allows only the named users, counting its calls. */
function reviewAllowing(...users: string[]) {
  const calls: string[] = [];
  const review: AccessReview = async (namespace, requester, kind) => {
    calls.push(`${requester.username}@${namespace}:${kind.resource}.${kind.group}`);
    return users.includes(requester.username)
      ? { allowed: true }
      : { allowed: false, reason: "no RBAC rule" };
  };
  return { review, calls };
}

describe("requester annotations", () => {
  it("reads the username and groups the admission policy stamped; none without a username", () => {
    expect(requesterOf({ annotations: alice })).toEqual({
      username: "alice",
      groups: ["team-a", "system:authenticated"],
    });
    expect(requesterOf({ annotations: { [REQUESTED_BY]: "bob", [REQUESTED_BY_GROUPS]: "" } })).toEqual({
      username: "bob",
      groups: [],
    });
    expect(requesterOf({ annotations: { [REQUESTED_BY_GROUPS]: "system:masters" } })).toBeUndefined();
    expect(requesterOf({})).toBeUndefined();
  });
});

describe("access gate", () => {
  it("asks the API server once per requester, namespace and kind while the answer is fresh", async () => {
    let clock = 0;
    const { review, calls } = reviewAllowing("alice");
    const gate = createAccessGate(review, () => clock, 10_000);
    const who = requesterOf({ annotations: alice });
    expect(await gate.check("ns", who, JOB_WORKLOAD)).toEqual({ allowed: true });
    expect(await gate.check("ns", who, JOB_WORKLOAD)).toEqual({ allowed: true });
    expect(calls).toEqual(["alice@ns:jobs.batch"]);
    await gate.check("other", who, JOB_WORKLOAD);
    expect(calls).toHaveLength(2);
    clock = 10_001;
    await gate.check("ns", who, JOB_WORKLOAD);
    expect(calls).toHaveLength(3);
  });

  it("names the missing permission, and refuses a job with no requester without asking", async () => {
    const { review, calls } = reviewAllowing();
    const gate = createAccessGate(review, () => 0);
    expect(await gate.check("ns", { username: "bob", groups: [] }, JOB_WORKLOAD)).toEqual({
      allowed: false,
      message:
        "bob may not create jobs.batch in namespace ns, so the operator does not create them on their behalf (no RBAC rule)",
    });
    const none = await gate.check("ns", undefined, JOB_WORKLOAD);
    expect(none.allowed).toBe(false);
    expect(!none.allowed && none.message).toMatch(/no requester is recorded .*MutatingAdmissionPolicy/);
    expect(calls).toEqual(["bob@ns:jobs.batch"]);
  });
});

describe("TuningJob reconciler with multi-tenancy", () => {
  function setup(allowed: string[], annotations: Record<string, string>, trials = 0) {
    const job = storedTuningJob({ limits: { maxTrials: 4, parallelism: 2 } }, { annotations });
    const caches = fakeCaches({
      tuningJobs: [job],
      trials: Array.from({ length: trials }, (_, i) => storedTrial(job, i, runningStatus([0.5]))),
    });
    const writes = recordingWrites({ reflectInto: caches });
    const events = recordingEvents();
    const access = createAccessGate(reviewAllowing(...allowed).review, () => 0);
    const reconcile = createTuningJobReconciler({ caches, writes, events, now: () => NOW, access });
    return { writes, events, run: () => reconcile(`${NAMESPACE}/demo`, log) };
  }

  it("creates trials for a requester who may create Jobs", async () => {
    const { writes, run } = setup(["alice"], alice);
    await run();
    expect(writes.of("createTrial")).toHaveLength(2);
  });

  it("creates nothing for one who may not: Failed with reason Forbidden, and a Warning Event naming the permission", async () => {
    const { writes, events, run } = setup(["someone-else"], alice);
    await run();
    expect(writes.of("createTrial")).toEqual([]);
    const status = writes.of("patchTuningJobStatus").at(-1)?.status;
    expect(status?.phase).toBe("Failed");
    expect(status?.conditions?.find((c) => c.type === "Failed")).toMatchObject({
      status: "True",
      reason: "Forbidden",
      message: expect.stringMatching(/^alice may not create jobs\.batch in namespace team-a/),
    });
    expect(events.recorded.filter((e) => e.reason === "Forbidden")).toEqual([
      expect.objectContaining({
        type: "Warning",
        message: expect.stringMatching(/alice may not create jobs\.batch/),
      }),
    ]);
    // Failed stays failed: nothing is created later either.
    writes.clear();
    await run();
    expect(writes.of("createTrial")).toEqual([]);
  });

  it("a permission revoked mid-run: running trials go on, no new one starts, the status says why", async () => {
    const { writes, run } = setup(["someone-else"], alice, 1);
    await run();
    expect(writes.of("createTrial")).toEqual([]);
    const status = writes.of("patchTuningJobStatus").at(-1)?.status;
    expect(status?.phase).toBe("Running");
    expect(status?.message).toMatch(/no new trials: alice may not create jobs\.batch/);
    expect(writes.of("patchTrialSpec")).toEqual([]);
  });

  it("refuses a job with no recorded requester", async () => {
    const { writes, run } = setup(["alice"], {});
    await run();
    expect(writes.of("createTrial")).toEqual([]);
    expect(
      writes
        .of("patchTuningJobStatus")
        .at(-1)
        ?.status.conditions?.find((c) => c.type === "Failed")?.reason,
    ).toBe("Forbidden");
  });
});

describe("Trial reconciler with multi-tenancy", () => {
  function setup(allowed: string[], impersonate = false) {
    const access = createAccessGate(reviewAllowing(...allowed).review, () => 0);
    const job = storedTuningJob({}, { annotations: alice });
    const trial = storedTrial(job, 0);
    const caches = fakeCaches({ tuningJobs: [job], trials: [trial] });
    const writes = recordingWrites();
    const reconcile = createTrialReconciler({
      caches,
      writes,
      followers: { ensure() {}, snapshot: () => undefined, stop() {} },
      collectFinal: async () => {
        throw new Error("not reached");
      },
      enqueue() {},
      collectorImage: "hypertune:test",
      now: () => NOW,
      access,
      impersonate,
    });
    return { writes, access, run: () => reconcile(`${NAMESPACE}/${trial.metadata.name}`, log) };
  }

  it("impersonating, creates the Job as the requester; the API server's 403 fails the Trial as Forbidden", async () => {
    const { writes, run } = setup(["alice"], true);
    await run();
    expect(writes.of("createJob")[0]?.as).toEqual({
      username: "alice",
      groups: ["team-a", "system:authenticated"],
    });
    const refused = setup(["alice"], true);
    const body = JSON.stringify({
      kind: "Status",
      code: 403,
      message: 'jobs.batch is forbidden: User "alice" cannot create',
    });
    refused.writes.failNext("createJob", new ApiException(403, "forbidden", body, {}));
    await refused.run();
    expect(refused.writes.of("patchTrialStatus")[0]?.status).toMatchObject({
      phase: "Failed",
      reason: "Forbidden",
      message:
        'alice may not create jobs.batch in namespace team-a, so the operator does not create them on their behalf (jobs.batch is forbidden: User "alice" cannot create)',
    });
    // And the refusal is remembered: the gate now says no without asking.
    expect(
      (
        await refused.access.check(
          NAMESPACE,
          { username: "alice", groups: ["team-a", "system:authenticated"] },
          JOB_WORKLOAD,
        )
      ).allowed,
    ).toBe(false);
    // Not impersonating: the operator's own create, no `as`.
    const direct = setup(["alice"]);
    await direct.run();
    expect(direct.writes.of("createJob")[0]?.as).toBeUndefined();
  });

  it("creates no Job for a requester who may not, and fails the Trial with reason Forbidden", async () => {
    const { writes, run } = setup(["bob"]);
    await run();
    expect(writes.of("createJob")).toEqual([]);
    expect(writes.of("patchTrialStatus")[0]?.status).toMatchObject({
      phase: "Failed",
      reason: "Forbidden",
      message: expect.stringMatching(/^alice may not create jobs\.batch/),
    });
  });
});
