// Each metrics collector delivers the objective through the operator: Stdout
// (pods/log of the training container), File (the `hypertune collect` sidecar
// tailing a file on a shared emptyDir) and TerminationMessage (the terminated
// container's message). Then early stopping: the Median rule, fed by
// intermediate values read while a trial runs, stops a bad trial; it ends
// EarlyStopped, its Job is deleted and its process killed.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Json, waitForPhase } from "../support/tuningjob-api.js";
import { waitFor } from "../support/wait.js";
import { alive, jobsOf, nodeTuningJob } from "./operator-helpers.js";
import { useScenarios } from "./operator-scenario.js";

const { batch, scenario } = useScenarios();
const scratch = await mkdtemp(join(tmpdir(), "op-collectors-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** One trial (Grid over x ∈ {values}), sequential, with `script` as the trainer. */
function oneByOne(name: string, collector: string, script: string, values = [0.25, 0.75]): Json {
  return nodeTuningJob(
    name,
    {
      metrics: { collector },
      parameters: [{ name: "x", type: "Discrete", values }],
      search: { strategy: "Grid" },
      limits: { maxTrials: values.length, parallelism: 1 },
    },
    script,
  );
}

async function expectObjectives(api: Awaited<ReturnType<typeof scenario>>["api"], name: string) {
  const job = await waitForPhase(api, name, "Complete", 90_000);
  const trials = await api.trials(name);
  expect(trials).toHaveLength(2);
  for (const t of trials) {
    expect(t.status.phase, JSON.stringify(t.status)).toBe("Succeeded");
    expect(t.status.objectiveValue).toBe(t.spec.parameters.x);
    expect(t.status.metrics.accuracy).toBe(t.spec.parameters.x);
  }
  expect(job.status.bestTrial).toMatchObject({ objectiveValue: 0.75, parameters: { x: 0.75 } });
  return trials;
}

describe("operator: metrics collectors", () => {
  it("Stdout: reads name=value lines from the training container's log", async () => {
    const { api } = await scenario("op-stdout");
    const script =
      "const x = Number(process.argv[1]); console.log('step=1 accuracy=' + x / 2); console.log('step=2 accuracy=' + x);";
    await api.create(oneByOne("stdout", "Stdout", script));
    const trials = await expectObjectives(api, "stdout");
    for (const t of trials) expect(t.status.history.map((h: Json) => h.step)).toEqual([1, 2]);
  });

  it("File: the hypertune collect sidecar tails the metrics file on a shared emptyDir", async () => {
    const { api, namespace } = await scenario("op-file");
    // HYPERTUNE_METRICS_FILE is the operator's; the node agent maps its folder to the emptyDir.
    const script = [
      "const fs = require('node:fs'); const x = Number(process.argv[1]); const file = process.env.HYPERTUNE_METRICS_FILE;",
      "console.log('not a metric line: accuracy=0');",
      "fs.appendFileSync(file, 'step=1 accuracy=' + x / 2 + '\\n');",
      "setTimeout(() => fs.appendFileSync(file, JSON.stringify({ step: 2, accuracy: x }) + '\\n'), 300);",
      "setTimeout(() => {}, 1000);",
    ].join("\n");
    await api.create(oneByOne("file", "File", script));
    const trials = await expectObjectives(api, "file");
    for (const t of trials) expect(t.status.history.map((h: Json) => h.step)).toEqual([1, 2]);
    const [job] = await jobsOf(batch, namespace, "file");
    const sidecar = job?.spec?.template.spec?.initContainers?.find((c) => c.name === "hypertune-collector");
    expect(sidecar).toMatchObject({
      restartPolicy: "Always",
      args: ["collect", "--file", "/var/run/hypertune/metrics.log"],
    });
  });

  it("TerminationMessage: reads the final metrics from /dev/termination-log", async () => {
    const { api } = await scenario("op-termmsg");
    // The node agent maps /dev/termination-log (named in the script) to the container's message file.
    const script = [
      "const x = Number(process.argv[1]);",
      "console.log('accuracy=0 on stdout is not what this collector reads');",
      "require('node:fs').writeFileSync('/dev/termination-log', 'loss=0.5 accuracy=' + x + '\\n');",
    ].join("\n");
    await api.create(oneByOne("termmsg", "TerminationMessage", script));
    await expectObjectives(api, "termmsg");
  });

  it("early stopping: the Median rule stops a bad trial from its intermediate values", async () => {
    const { api, namespace } = await scenario("op-earlystop");
    const pidFile = join(scratch, "pids");
    // Good trials (x ≥ 0.5) report 10 steps quickly; a bad one would report slowly for 20 s.
    const script = [
      "const fs = require('node:fs'); const x = Number(process.argv[1]);",
      "fs.appendFileSync(process.env.PID_FILE, x + ' ' + process.pid + '\\n');",
      "const delay = x >= 0.5 ? 20 : 1000; let step = 0;",
      "const tick = () => { step++; console.log('step=' + step + ' accuracy=' + x * step / 10);",
      "  if (step < (x >= 0.5 ? 10 : 20)) setTimeout(tick, delay); }; tick();",
    ].join("\n");
    const body = oneByOne("early", "Stdout", script, [0.9, 0.8, 0.1]);
    body.spec.earlyStopping = { rule: "Median", minTrials: 2, startStep: 2 };
    body.spec.trialTemplate.job.template.spec.containers[0].env = [{ name: "PID_FILE", value: pidFile }];
    await api.create(body);

    const job = await waitForPhase(api, "early", "Complete", 90_000);
    const trials = await api.trials("early");
    const bad = trials.find((t) => t.spec.parameters.x === 0.1);
    expect(bad?.status.phase, JSON.stringify(bad?.status)).toBe("EarlyStopped");
    // Stopped from values read while it ran: a few steps, far from its 20.
    const steps = (bad?.status.history ?? []).map((h: Json) => h.step);
    expect(Math.max(...steps)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...steps)).toBeLessThan(10);
    expect(trials.filter((t) => t.status.phase === "Succeeded")).toHaveLength(2);
    expect(job.status.bestTrial.parameters).toEqual({ x: 0.9 });

    await waitFor(
      `Job ${bad?.metadata.name} deleted`,
      async () => {
        const jobs = await jobsOf(batch, namespace, "early");
        return !jobs.some((j) => j.metadata?.name === bad?.metadata.name);
      },
      30_000,
    );
    const badPid = Number(
      (await readFile(pidFile, "utf8"))
        .split("\n")
        .find((l) => l.startsWith("0.1 "))
        ?.split(" ")[1],
    );
    expect(badPid).toBeGreaterThan(0);
    await waitFor(`the bad trial's process ${badPid} to end`, () => !alive(badPid), 30_000);
  });
});
