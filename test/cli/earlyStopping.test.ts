import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { parseJsonResult, runCli, tempDir, writeTinyJob } from "./helpers.js";

test("intermediate reports reach the engine while trials run: the Median rule stops weak trials early", async () => {
  const dir = tempDir();
  const stateRoot = join(dir, "state");
  const sleepMs = 800;
  const file = writeTinyJob(dir, {
    name: "pruned",
    maxTrials: 6,
    parallelism: 2,
    earlyStopping: { rule: "Median", minTrials: 2, startStep: 2 },
  });
  const result = await runCli(["run", file, "--state-dir", stateRoot, "--output", "json"], {
    env: { HT_SLEEP_MS: String(sleepMs) },
  });
  expect(result.code, result.stderr).toBe(0);
  const json = parseJsonResult(result.stdout);
  const stopped = json.trials.filter((t) => t.phase === "EarlyStopped");
  expect(stopped.length).toBeGreaterThan(0);
  expect(stopped.every((t) => t.reason === "EarlyStopped")).toBe(true);
  // Stops come as soon as the rule can judge (a late one is possible too, when a new peer raises the median).
  const events = readFileSync(join(stateRoot, "pruned", "trials.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { event: string; index: number });
  const reports = (index: number) => events.filter((e) => e.event === "report" && e.index === index).length;
  const fullRun = Math.min(
    ...json.trials.filter((t) => t.phase === "Succeeded").map((t) => reports(t.index)),
  );
  expect(Math.min(...stopped.map((t) => reports(t.index)))).toBeLessThan(fullRun / 2);
  expect(json.bestTrial).not.toBeNull();
});
