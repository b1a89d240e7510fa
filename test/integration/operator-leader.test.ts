// Leader election: two operator processes campaign for one Lease; only the
// holder writes (the follower's hypertune_api_writes_total stays 0); when the
// leader is SIGKILLed the follower takes the Lease within about its duration
// and finishes the job.
import { CoordinationV1Api } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { OperatorProcess } from "../support/operator-process.js";
import { waitForPhase } from "../support/tuningjob-api.js";
import { waitFor } from "../support/wait.js";
import { nodeTuningJob, trainerScript } from "./operator-helpers.js";
import { useScenarios } from "./operator-scenario.js";

const { kc, scenario } = useScenarios();
const coordination = kc.makeApiClient(CoordinationV1Api);
const LEASE_SECONDS = 3;

describe("operator: leader election", () => {
  it("lets only the leader write, and hands over to the other process when the leader dies", async () => {
    const args = ["--leader-elect", "--lease-name", "hypertune-it", "--lease-duration", `${LEASE_SECONDS}`];
    const {
      namespace,
      api,
      operator: first,
      addOperator,
    } = await scenario("op-leader", { args, start: false });
    const holder = async () =>
      (await coordination.readNamespacedLease({ name: "hypertune-it", namespace })).spec?.holderIdentity;
    const holds = (op: OperatorProcess) => async () => (await holder())?.endsWith(`-${op.pid}`);

    await first.start();
    await waitFor("the first operator to take the Lease", holds(first), 20_000);
    const second = addOperator("second operator");
    await second.start();

    await api.create(
      nodeTuningJob(
        "leader",
        { limits: { maxTrials: 10, parallelism: 2 } },
        trainerScript("accuracy", 3, 300),
      ),
    );
    await waitFor("three trials", async () => (await api.trials("leader")).length >= 3, 60_000);
    expect(await holds(first)()).toBe(true);
    expect(await first.metric("hypertune_api_writes_total")).toBeGreaterThan(0);
    expect(await second.metric("hypertune_api_writes_total")).toBe(0);
    expect(await second.metric("hypertune_reconcile_total")).toBe(0);

    await first.kill();
    const killedAt = Date.now();
    await waitFor("the second operator to take the Lease", holds(second), 30_000, 50);
    const handover = (Date.now() - killedAt) / 1000;
    // The follower waits out the duration from the last renew it saw; allow a renew period and scheduling slack.
    expect(handover).toBeLessThan(LEASE_SECONDS + 2);

    const job = await waitForPhase(api, "leader", "Complete", 120_000);
    expect(job.status.trials).toMatchObject({ created: 10, succeeded: 10 });
    expect(await second.metric("hypertune_api_writes_total")).toBeGreaterThan(0);
    console.log(`leader handover took ${handover.toFixed(1)} s (lease ${LEASE_SECONDS} s)`);
  });
});
