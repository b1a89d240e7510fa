import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { sleep } from "../support/wait.js";
import { parseJsonResult, runCli, startCli, tempDir, writeTinyJob } from "./helpers.js";

interface TrialRecord {
  argv: string[];
  env: Record<string, string | null>;
  cwd: string;
  startedAt: number;
  endedAt: number;
}

function readRecords(path: string): TrialRecord[] {
  return readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as TrialRecord);
}

describe("trial processes", () => {
  test("a timeout kills the trial's whole process group, grandchildren included", async () => {
    const dir = tempDir();
    const late = join(dir, "written-by-grandchild");
    const file = writeTinyJob(dir, {
      maxTrials: 1,
      parallelism: 1,
      maxFailedTrials: 0,
      trialTimeout: "1s",
      args: ["--x=${params.x}", `--grandchild=${late}`],
    });
    const started = Date.now();
    const result = await runCli(["run", file, "--state-dir", join(dir, "state"), "--output", "json"], {
      env: { HT_SLEEP_MS: "60000" },
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.code).toBe(1);
    const json = parseJsonResult(result.stdout);
    expect(json.status).toBe("Failed");
    expect(json.trials[0]).toMatchObject({ phase: "Failed", reason: "Timeout" });
    // The grandchild ignores SIGTERM and would write its file 3 s after it started.
    await sleep(3_500);
    expect(existsSync(late)).toBe(false);
  });

  test("trials needing one GPU each get distinct CUDA_VISIBLE_DEVICES from --gpus at any moment", async () => {
    const dir = tempDir();
    const record = join(dir, "records.jsonl");
    const file = writeTinyJob(dir, {
      maxTrials: 6,
      parallelism: 4,
      gpus: 1,
      args: ["--x=${params.x}", `--record=${record}`],
    });
    const result = await runCli(
      ["run", file, "--gpus", "0,1", "--state-dir", join(dir, "state"), "--output", "json"],
      {
        env: { HT_SLEEP_MS: "300" },
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const records = readRecords(record);
    expect(records).toHaveLength(6);
    for (const r of records) expect(["0", "1"]).toContain(r.env.CUDA_VISIBLE_DEVICES);
    for (const a of records) {
      for (const b of records) {
        if (a === b) continue;
        const overlap = a.startedAt < b.endedAt && b.startedAt < a.endedAt;
        if (overlap) expect(a.env.CUDA_VISIBLE_DEVICES).not.toBe(b.env.CUDA_VISIBLE_DEVICES);
      }
    }
    // Only two GPUs, so never more than two at once even with parallelism 4.
    const atOnce = records.map(
      (r) => records.filter((o) => o.startedAt <= r.startedAt && r.startedAt < o.endedAt).length,
    );
    expect(Math.max(...atOnce)).toBeLessThanOrEqual(2);
  });

  test("maxGpuHours ends the job once the trials' GPU time reaches it, stopping the one still running", async () => {
    const dir = tempDir();
    // 2 GPUs per trial, about 0.6 s each: 0.0008 GPU-hours (2.88 GPU-seconds) is two to three trials.
    const file = writeTinyJob(dir, { maxTrials: 50, parallelism: 1, gpus: 2, maxGpuHours: 0.0008 });
    const result = await runCli(
      ["run", file, "--gpus", "0,1", "--state-dir", join(dir, "state"), "--output", "json"],
      { env: { HT_SLEEP_MS: "600" } },
    );
    expect(result.code, result.stderr).toBe(0);
    const json = parseJsonResult(result.stdout);
    expect(json.reason).toBe("MaxGpuHoursReached");
    expect(json.message).toContain("maxGpuHours (0.0008)");
    const finished = json.trials.filter((t) => t.phase === "Succeeded").length;
    expect(finished).toBeGreaterThanOrEqual(1);
    expect(finished).toBeLessThanOrEqual(3);
  });

  test("gpus > 0 without --gpus is refused up front; with --gpus, gpus: 0 trials see no GPU", async () => {
    const dir = tempDir();
    const refused = await runCli(["run", writeTinyJob(dir, { gpus: 1 }), "--state-dir", join(dir, "a")]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--gpus");

    const record = join(dir, "records.jsonl");
    const file = writeTinyJob(dir, { maxTrials: 1, parallelism: 1, args: [`--record=${record}`] });
    const result = await runCli(["run", file, "--gpus", "0", "--state-dir", join(dir, "b")], {
      env: { HT_SLEEP_MS: "20" },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(readRecords(record)[0]?.env.CUDA_VISIBLE_DEVICES).toBe("");
  });

  test("parameter values reach the trial verbatim: no shell anywhere", async () => {
    const dir = tempDir();
    const pwned = join(dir, "pwned");
    const record = join(dir, "records.jsonl");
    const values = [`$(touch ${pwned})`, `; touch ${pwned}`, "a b 'c' \"d\" `touch x` | &"];
    const file = writeTinyJob(dir, {
      maxTrials: 3,
      parallelism: 3,
      strategy: "Grid",
      parameters: [{ name: "v", type: "Categorical", values }],
      args: ["--v=${params.v}", `--record=${record}`],
      env: [{ name: "FROM_TEMPLATE", value: "[${params.v}]" }],
    });
    const result = await runCli(["run", file, "--state-dir", join(dir, "state"), "--output", "json"], {
      env: { HT_SLEEP_MS: "20" },
    });
    // The trials report no score (no --x), so they end MetricsUnavailable; what matters is what they received.
    expect(result.stdout).toContain('"status"');
    const records = readRecords(record);
    expect(records.map((r) => r.argv[0]).sort()).toEqual(values.map((v) => `--v=${v}`).sort());
    for (const r of records) {
      const v = r.env.HYPERTUNE_PARAM_V;
      expect(values).toContain(v);
      expect(JSON.parse(r.env.HYPERTUNE_PARAMS ?? "{}")).toEqual({ v });
      expect(r.cwd).toBe(dir);
    }
    expect(existsSync(pwned)).toBe(false);
  });
});

test("Ctrl-C stops running trials, keeps finished ones, exits 130; --resume completes the job", async () => {
  const dir = tempDir();
  const stateRoot = join(dir, "state");
  const file = writeTinyJob(dir, { name: "interrupted", maxTrials: 6, parallelism: 2 });
  const args = ["run", file, "--state-dir", stateRoot, "--output", "json"];
  const run = startCli(args, { env: { HT_SLEEP_MS: "30000" } });
  await run.waitForOutput((all) => (all.match(/ started /g) ?? []).length >= 2);
  const signalledAt = Date.now();
  run.child.kill("SIGINT");
  const result = await run.result;
  // Well under the 5 s SIGTERM→SIGKILL grace on an idle machine; generous for a loaded one.
  expect(Date.now() - signalledAt).toBeLessThan(10_000);
  expect(result.code).toBe(130);
  expect(result.stderr).toContain("--resume");
  const json = parseJsonResult(result.stdout);
  expect(json.status).toBe("Interrupted");
  expect(json.trials.map((t) => t.phase)).toEqual(["Interrupted", "Interrupted"]);

  // The trial processes are gone.
  const started = readFileSync(join(stateRoot, "interrupted", "trials.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { event: string; pid?: number })
    .filter((e) => e.event === "started");
  for (const { pid } of started) expect(() => process.kill(pid ?? 0, 0)).toThrow();

  const resumed = await runCli([...args, "--resume"], { env: { HT_SLEEP_MS: "50" } });
  expect(resumed.code, resumed.stderr).toBe(0);
  const done = parseJsonResult(resumed.stdout);
  expect(done.trials.map((t) => [t.index, t.phase])).toEqual([0, 1, 2, 3, 4, 5].map((i) => [i, "Succeeded"]));
});
