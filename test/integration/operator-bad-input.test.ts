// Bad input, for real: the API server refuses what the CRD schema can judge
// (with the field path); the operator marks `Invalid` (with a Warning Event)
// what only it can judge; trials whose command does not exist fail and count
// toward maxFailedTrials; and a trial printing junk, NaN and a million lines
// neither crashes the operator nor grows its memory without bound.
import { describe, expect, it } from "vitest";
import { type Json, waitForPhase } from "../support/tuningjob-api.js";
import { waitFor } from "../support/wait.js";
import { conditionTrue, nodeTuningJob } from "./operator-helpers.js";
import { useScenarios } from "./operator-scenario.js";

const { core, scenario } = useScenarios();

function errorBody(err: unknown): { code?: number; message: string } {
  const e = err as { code?: number; body?: unknown };
  const body = typeof e.body === "string" ? (JSON.parse(e.body) as Json) : ((e.body ?? {}) as Json);
  return { code: e.code, message: String(body.message ?? err) };
}

describe("operator: bad input", () => {
  it("a spec the CRD schema rejects is refused by the API server, naming the field", async () => {
    const { api } = await scenario("op-schema");
    const bad = nodeTuningJob("bad", { objective: { metric: "accuracy", direction: "Upwards" } });
    const refused = await api.create(bad).then(
      () => undefined,
      (err: unknown) => errorBody(err),
    );
    expect(refused?.code).toBe(422);
    expect(refused?.message).toContain("spec.objective.direction");
    expect(refused?.message).toContain("Upwards");

    const noMax = nodeTuningJob("bad2", { parameters: [{ name: "x", type: "Float", min: 0 }] });
    const refused2 = await api.create(noMax).then(
      () => undefined,
      (err: unknown) => errorBody(err),
    );
    expect(refused2?.code).toBe(422);
    expect(refused2?.message).toContain("spec.parameters[0]");
  });

  it("a spec only the operator can judge gets condition Invalid and a Warning Event, and nothing runs", async () => {
    const { api, namespace } = await scenario("op-invalid");
    const job = nodeTuningJob("nope", {});
    job.spec.trialTemplate.job.template.spec.containers[0].args = ["${params.nope}"];
    await api.create(job);
    const invalid = await waitFor("condition Invalid", async () => {
      const current = await api.get("nope");
      return conditionTrue(current, "Invalid") ? current : undefined;
    });
    const condition = invalid.status.conditions.find((c: Json) => c.type === "Invalid");
    expect(condition.message).toContain("nope");
    expect(condition.observedGeneration).toBe(invalid.metadata.generation);
    const event = await waitFor("a Warning Event", async () => {
      const events = await core.listNamespacedEvent({ namespace });
      return events.items.find((e) => e.involvedObject.name === "nope" && e.type === "Warning");
    });
    expect(event.reason).toBe("InvalidSpec");
    expect(event.message).toContain("nope");
    expect(await api.trials("nope")).toEqual([]);
  });

  it("trials whose command does not exist fail and end the job at maxFailedTrials", async () => {
    const { api } = await scenario("op-nocommand");
    const job = nodeTuningJob("missing", { limits: { maxTrials: 6, parallelism: 1, maxFailedTrials: 2 } });
    job.spec.trialTemplate.job.template.spec.containers[0].command = ["/no/such/trainer"];
    await api.create(job);
    const failed = await waitForPhase(api, "missing", "Failed", 90_000);
    const reason = failed.status.conditions.find(
      (c: Json) => c.type === "Failed" && c.status === "True",
    )?.reason;
    expect(reason).toBe("MaxFailedTrialsExceeded");
    const trials = await api.trials("missing");
    // maxFailedTrials: 2 tolerates two failures; the third ends the job.
    expect(trials.map((t) => t.status.phase)).toEqual(["Failed", "Failed", "Failed"]);
    expect(failed.status.trials).toMatchObject({ failed: 3, active: 0 });
  });

  it("a trial printing junk, NaN and a million lines neither crashes the operator nor grows its memory unboundedly", async () => {
    const { api, operator } = await scenario("op-flood");
    const rssBefore = await operator.metric("hypertune_process_resident_memory_bytes");
    const pid = operator.pid;
    // A million lines in chunks (stdout is a pipe: honour backpressure), then one good value.
    const script = [
      "const junk = ['accuracy=NaN', 'accuracy=Infinity step=2', '\\u0000\\u0001 garbage ☃ accuracy=', '{\"accuracy\": \"high\"}', 'x'.repeat(300), 'step=abc accuracy=1e999'];",
      "let i = 0; const write = () => { while (i < 1000000) { const chunk = []; for (let j = 0; j < 1000; j++, i++) chunk.push(junk[i % junk.length] + ' ' + i);",
      "  if (!process.stdout.write(chunk.join('\\n') + '\\n')) return process.stdout.once('drain', write); }",
      "  console.log('step=7 accuracy=0.5'); };",
      "write();",
    ].join("\n");
    // Two such trials one after the other: what the first leaves behind may be heap the
    // GC has not given back, but the second must not add as much again.
    await api.create(nodeTuningJob("flood", { limits: { maxTrials: 2, parallelism: 1 } }, script));
    await waitFor(
      "the first flood to finish",
      async () => (await api.trials("flood")).some((t) => t.status?.phase === "Succeeded"),
      180_000,
    );
    const rssMiddle = await operator.metric("hypertune_process_resident_memory_bytes");
    const done = await waitForPhase(api, "flood", "Complete", 180_000);
    const trials = await api.trials("flood");
    for (const trial of trials) {
      expect(trial.status.phase).toBe("Succeeded");
      expect(trial.status.objectiveValue).toBe(0.5);
      expect(trial.status.message).toMatch(/rejected/);
    }
    expect(done.status.bestTrial.objectiveValue).toBe(0.5);
    // The same process throughout, and its memory bounded.
    expect(operator.pid).toBe(pid);
    expect(operator.running).toBe(true);
    expect(operator.starts).toBe(1);
    const rssAfter = await operator.metric("hypertune_process_resident_memory_bytes");
    const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
    console.log(
      `operator RSS (MiB): ${mib(rssBefore)} before, ${mib(rssMiddle)} after one flood, ${mib(rssAfter)} after two`,
    );
    // Measured: +50..110 MiB after the first flood (V8 grows its heap and keeps it),
    // about nothing more after the second. Keeping the lines would cost >250 MiB.
    expect(rssAfter - rssBefore).toBeLessThan(200 * 2 ** 20);
    const trial = trials[0];
    // Stored objects stay small: the history is bounded, the rejections summarised.
    expect(JSON.stringify(trial).length).toBeLessThan(64 * 1024);
  });
});
