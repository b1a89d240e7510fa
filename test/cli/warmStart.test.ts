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

test("a warm start says how many earlier trials it loaded and why the others were left out", async () => {
  const dir = tempDir();
  const stateRoot = join(dir, "state");
  const first = writeTinyJob(dir, { name: "wide", maxTrials: 6, parallelism: 3 });
  const wide = await runCli(["run", first, "--state-dir", stateRoot, "--output", "json"]);
  expect(wide.code, wide.stderr).toBe(0);
  const xs = parseJsonResult(wide.stdout).trials.map((t) => Number(t.parameters.x));
  const inside = xs.filter((x) => x <= 0.5).length;
  expect(inside).toBeGreaterThan(0);
  expect(inside).toBeLessThan(6);

  const narrow = writeTinyJob(dir, {
    name: "narrow",
    maxTrials: 1,
    parallelism: 1,
    parameters: [{ name: "x", type: "Float", min: 0, max: 0.5 }],
  });
  const from = join(stateRoot, "wide");
  const json = await runCli([
    "run",
    narrow,
    "--state-dir",
    stateRoot,
    "--warm-start",
    from,
    "--output",
    "json",
  ]);
  expect(json.code, json.stderr).toBe(0);
  expect(parseJsonResult(json.stdout).warmStart).toEqual({
    from: [from],
    loaded: inside,
    leftOut: [{ reason: "parameter x outside [0, 0.5]", count: 6 - inside }],
  });
  expect(json.stderr).toContain(
    `${inside} earlier trial(s) loaded; ${6 - inside} left out: ${6 - inside} parameter x outside [0, 0.5]`,
  );

  // Nothing fits: said in the text output, not silently ignored.
  const other = writeTinyJob(dir, {
    name: "other",
    maxTrials: 1,
    parallelism: 1,
    parameters: [{ name: "y", type: "Float", min: 0, max: 1 }],
    args: ["--x=${params.y}"],
  });
  const text = await runCli(["run", other, "--state-dir", stateRoot, "--warm-start", from]);
  expect(text.code, text.stderr).toBe(0);
  expect(text.stdout).toMatch(
    /warm start from .*wide: no earlier trial loaded; 6 left out: 6 unknown parameter x/,
  );
});
