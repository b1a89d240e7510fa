// Deleting a TuningJob: the garbage collector follows the controller
// ownerReferences (TuningJob → Trial → Job → Pod) and removes everything;
// the node agent kills the pods' processes; the operator creates nothing new.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sleep, waitFor } from "../support/wait.js";
import { alive, jobsOf, nodeTuningJob, podsOf } from "./operator-helpers.js";
import { useScenarios } from "./operator-scenario.js";

const { core, batch, scenario } = useScenarios();
const scratch = await mkdtemp(join(tmpdir(), "op-delete-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe("operator: deleting a TuningJob", () => {
  it("removes its Trials, Jobs and pods through the garbage collector, and their processes end", async () => {
    const { namespace, api } = await scenario("op-delete");
    const pidFile = join(scratch, "pids");
    // Trials that would run for a minute, each recording its pid.
    const script = [
      "require('node:fs').appendFileSync(process.env.PID_FILE, process.pid + '\\n');",
      "console.log('step=1 accuracy=' + process.argv[1]); setTimeout(() => {}, 60000);",
    ].join("\n");
    const body = nodeTuningJob("doomed", { limits: { maxTrials: 4, parallelism: 2 } }, script);
    body.spec.trialTemplate.job.template.spec.containers[0].env = [{ name: "PID_FILE", value: pidFile }];
    await api.create(body);

    const pids = await waitFor(
      "two running trial processes",
      async () => {
        const running = (await api.trials("doomed")).filter((t) => t.status?.phase === "Running");
        const lines = (await readFile(pidFile, "utf8").catch(() => "")).split("\n").filter(Boolean);
        return running.length === 2 && lines.length === 2 ? lines.map(Number) : undefined;
      },
      60_000,
    );
    expect(pids.every(alive)).toBe(true);

    await api.delete("doomed");
    await waitFor(
      "Trials, Jobs and pods gone",
      async () =>
        (await api.trials("doomed")).length === 0 &&
        (await jobsOf(batch, namespace, "doomed")).length === 0 &&
        (await podsOf(core, namespace, "doomed")).length === 0,
      60_000,
    );
    await waitFor("the trial processes to end", () => pids.every((pid) => !alive(pid)), 30_000);
    // And nothing comes back: the operator does not recreate trials of a deleted job.
    await sleep(1500);
    expect(await api.trials("doomed")).toEqual([]);
    expect(await jobsOf(batch, namespace, "doomed")).toEqual([]);
  });
});
