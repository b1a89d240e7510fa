import { join } from "node:path";
import { expect, test } from "vitest";
import { parseJsonResult, runCli, tempDir, writeTinyJob } from "./helpers.js";

test("--warm-start seeds a new job with an earlier job's trials without counting them", async () => {
  const dir = tempDir();
  const stateRoot = join(dir, "state");
  const first = writeTinyJob(dir, { name: "first", maxTrials: 4, parallelism: 2 });
  expect((await runCli(["run", first, "--state-dir", stateRoot, "--output", "json"])).code).toBe(0);

  const second = writeTinyJob(join(dir), { name: "second", maxTrials: 3, parallelism: 1, strategy: "TPE" });
  const result = await runCli([
    "run",
    second,
    "--state-dir",
    stateRoot,
    "--warm-start",
    join(stateRoot, "first"),
    "--output",
    "json",
  ]);
  expect(result.code, result.stderr).toBe(0);
  const json = parseJsonResult(result.stdout);
  expect(json.trials.map((t) => t.index)).toEqual([0, 1, 2]);

  const missing = await runCli([
    "run",
    second,
    "--state-dir",
    join(dir, "other"),
    "--warm-start",
    join(dir, "nope"),
  ]);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain("holds no trials.jsonl");
});
