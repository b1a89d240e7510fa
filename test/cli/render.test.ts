import { join } from "node:path";
import { expect, test } from "vitest";
import { parseAllDocuments } from "yaml";
import { parseJsonResult, runCli, runMain, tempDir, writeTinyJob } from "./helpers.js";

test("render prints the Trial and Job of trial N, with the parameters a run gives that trial", async () => {
  const dir = tempDir();
  const file = writeTinyJob(dir, { maxTrials: 4, parallelism: 2, strategy: "Random" });
  const run = await runCli(["run", file, "--state-dir", join(dir, "state"), "--output", "json"]);
  expect(run.code, run.stderr).toBe(0);
  const ran = parseJsonResult(run.stdout).trials;

  for (const index of [0, 3]) {
    const out = await runMain(["render", file, "--index", String(index), "--namespace", "team-a"]);
    expect(out.code, out.stderr).toBe(0);
    const [trial, job] = parseAllDocuments(out.stdout).map((d) => d.toJS());
    expect(trial).toMatchObject({
      kind: "Trial",
      metadata: { name: `tiny-${index}`, namespace: "team-a" },
      spec: { tuningJob: "tiny", index, parameters: ran[index]?.parameters },
    });
    expect(job.kind).toBe("Job");
    expect(job.metadata.name).toBe(`tiny-${index}`);
    const container = job.spec.template.spec.containers[0];
    expect(container.args).toEqual([`--x=${ran[index]?.parameters.x}`]);
    expect(job.spec.podFailurePolicy.rules[0]).toMatchObject({ action: "FailJob" });
  }
  expect((await runMain(["render", file, "--index", "1", "--attempt", "2"])).stdout).toContain(
    "name: tiny-1-a2",
  );
  const past = await runMain(["render", file, "--index", "4"]);
  expect(past.code).toBe(2);
  expect(past.stderr).toContain("past the job's maxTrials (4)");
});
