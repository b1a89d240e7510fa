// A trial whose node is lost: the Node object deleted under a running trial
// pod, as a cloud's autoscaler or a failed spot instance does. The real
// kube-controller-manager's pod garbage collector marks the orphaned pod
// (DisruptionTarget, DeletionByPodGC), the trial Job's pod failure policy
// fails the Job, and the operator runs the trial again as attempt 2 on the
// other node. KWOK's simulated nodes: deleting the one real node would take
// the shared harness down with it.
import { expect, it } from "vitest";
import { kwokLoss, kwokTuningJob } from "../support/kwok-tuningjob.js";
import { type Json, tuningJobs, waitForPhase } from "../support/tuningjob-api.js";
import { waitFor } from "../support/wait.js";
import { useKwokOperator } from "./kwok-operator.js";
import { clients, podsOf } from "./operator-helpers.js";

const { core, custom } = clients();
const harness = useKwokOperator("lost");

it("a trial whose node is deleted is preempted, not failed, and completes as attempt 2 on another node", async () => {
  const api = tuningJobs(custom, harness.namespace);
  const body: Json = kwokTuningJob({
    name: "lost",
    trials: 1,
    parallelism: 1,
    strategy: "Random",
    seed: 2,
    podDuration: "1s",
  });
  body.spec.limits.maxFailedTrials = 0;
  // The first attempt would run for ten minutes: only losing its node ends it.
  body.spec.trialTemplate.job.template.metadata.annotations[
    "pod-complete.stage.kwok.x-k8s.io/delay-attempt-1"
  ] = "10m";
  await api.create(body);

  const running = await waitFor(
    "attempt 1's pod running on a KWOK node",
    async () =>
      (await podsOf(core, harness.namespace, "lost")).find(
        (p) => p.status?.phase === "Running" && p.spec?.nodeName,
      ),
    60_000,
  );
  const lostNode = running.spec?.nodeName ?? "";
  await core.deleteNode({ name: lostNode });

  // The pod garbage collector waits about 40 s before it takes an orphaned pod.
  const done = await waitForPhase(api, "lost", "Complete", 240_000);
  const [trial = {}] = await api.trials("lost");
  expect(trial.status, JSON.stringify(trial.status)).toMatchObject({ phase: "Succeeded", attempt: 2 });
  expect(trial.status.preemptions).toHaveLength(1);
  expect(["DeletionByPodGC", "DisruptionTarget"]).toContain(trial.status.preemptions[0].reason);
  expect(trial.status.metrics.loss).toBeCloseTo(kwokLoss(trial.spec.parameters), 9);
  expect(done.status.trials).toMatchObject({ succeeded: 1, failed: 0, preempted: 0 });
  const second = (await podsOf(core, harness.namespace, "lost")).find(
    (p) => p.metadata?.labels?.["hypertune.dev/attempt"] === "2",
  );
  expect(second?.spec?.nodeName).toBeDefined();
  expect(second?.spec?.nodeName).not.toBe(lostNode);
}, 300_000);
