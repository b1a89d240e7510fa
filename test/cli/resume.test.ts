import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { parseJsonResult, runCli, startCli, tempDir, writeTinyJob } from "./helpers.js";

interface Event {
  event: string;
  index?: number;
  phase?: string;
  metrics?: Record<string, number>;
  parameters?: Record<string, unknown>;
}

function readEvents(path: string): Event[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Event];
      } catch {
        return [];
      }
    });
}

test("kill -9 mid-run, then --resume: exactly maxTrials trials, no index twice, finished results kept", async () => {
  const dir = tempDir();
  const stateRoot = join(dir, "state");
  const file = writeTinyJob(dir, { name: "crashy", maxTrials: 12, parallelism: 3 });
  const events = join(stateRoot, "crashy", "trials.jsonl");
  const args = ["run", file, "--state-dir", stateRoot, "--output", "json"];

  const first = startCli(args, { env: { HT_SLEEP_MS: "400" } });
  // Kill once at least four trials have finished; with parallelism 3 others are running then.
  await first.waitForOutput((all) => (all.match(/ Succeeded /g) ?? []).length >= 4);
  first.child.kill("SIGKILL");
  await first.result;

  const before = readEvents(events);
  const finishedBefore = before.filter((e) => e.event === "finished");
  const startedBefore = before.filter((e) => e.event === "started").map((e) => e.index);
  const runningAtCrash = startedBefore.filter((i) => !finishedBefore.some((f) => f.index === i));
  expect(finishedBefore.length).toBeGreaterThanOrEqual(4);
  expect(finishedBefore.length).toBeLessThan(12);
  expect(runningAtCrash.length).toBeGreaterThan(0);

  // Without --resume the state is not silently reused.
  const refused = await runCli(["run", file, "--state-dir", stateRoot]);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain("--resume");

  const resumed = await runCli([...args, "--resume"], { env: { HT_SLEEP_MS: "100" } });
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(resumed.stderr).toContain(
    `${finishedBefore.length} finished trial(s) kept, ${runningAtCrash.length} interrupted`,
  );
  const json = parseJsonResult(resumed.stdout);
  expect(json.status).toBe("Succeeded");
  expect(json.trials.map((t) => t.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  expect(json.trials.every((t) => t.phase === "Succeeded")).toBe(true);
  for (const f of finishedBefore) {
    const after = json.trials.find((t) => t.index === f.index);
    expect(after?.metrics).toEqual(f.metrics);
  }
  // Finished trials did not run again; interrupted ones ran again under their own index with the same parameters.
  const all = readEvents(events);
  const startsOf = (i: number) => all.filter((e) => e.event === "started" && e.index === i);
  for (const f of finishedBefore) expect(startsOf(f.index ?? -1)).toHaveLength(1);
  for (const i of runningAtCrash) {
    const starts = startsOf(i ?? -1);
    expect(starts).toHaveLength(2);
    expect(starts[1]?.parameters).toEqual(starts[0]?.parameters);
  }
  expect(all.filter((e) => e.event === "finished")).toHaveLength(12);
  expect(existsSync(join(stateRoot, "crashy", "runner.lock"))).toBe(false);
});

test("--resume refuses a changed spec but accepts raised limits", async () => {
  const dir = tempDir();
  const stateRoot = join(dir, "state");
  const file = writeTinyJob(dir, { name: "grow", maxTrials: 2, parallelism: 2 });
  const env = { HT_SLEEP_MS: "50" };
  const first = await runCli(["run", file, "--state-dir", stateRoot, "--output", "json"], { env });
  expect(first.code, first.stderr).toBe(0);

  const raised = await runCli(
    ["run", file, "--state-dir", stateRoot, "--output", "json", "--resume", "--max-trials", "4"],
    {
      env,
    },
  );
  expect(raised.code, raised.stderr).toBe(0);
  const json = parseJsonResult(raised.stdout);
  expect(json.trials.map((t) => t.index)).toEqual([0, 1, 2, 3]);
  const firstJson = parseJsonResult(first.stdout);
  expect(json.trials.slice(0, 2)).toEqual(firstJson.trials);

  writeTinyJob(dir, {
    name: "grow",
    maxTrials: 2,
    parameters: [{ name: "x", type: "Float", min: 0, max: 2 }],
  });
  const changed = await runCli(["run", file, "--state-dir", stateRoot, "--resume"], { env });
  expect(changed.code).toBe(2);
  expect(changed.stderr).toContain("changed since its state");
});

test("Auto chooses once: a resume with a larger --max-trials keeps the first choice", async () => {
  const dir = tempDir();
  const stateRoot = join(dir, "state");
  // Four grid points: with 2 trials Auto picks Bayesian; a budget of 4 alone would make it pick Grid.
  const file = writeTinyJob(dir, {
    name: "auto",
    strategy: "Auto",
    maxTrials: 2,
    parallelism: 1,
    parameters: [{ name: "x", type: "Int", min: 0, max: 3 }],
  });
  const env = { HT_SLEEP_MS: "50" };
  const args = ["run", file, "--state-dir", stateRoot, "--output", "json"];
  const first = await runCli(args, { env });
  expect(first.code, first.stderr).toBe(0);
  expect(parseJsonResult(first.stdout).strategy).toBe("Bayesian");
  expect(first.stderr).toContain("strategy Auto → Bayesian");

  const raised = await runCli([...args, "--resume", "--max-trials", "4"], { env });
  expect(raised.code, raised.stderr).toBe(0);
  expect(parseJsonResult(raised.stdout).strategy).toBe("Bayesian");
  expect(raised.stderr).toContain("strategy Auto → Bayesian");
  expect(JSON.parse(readFileSync(join(stateRoot, "auto", "job.json"), "utf8")).strategy).toBe("Bayesian");
});
