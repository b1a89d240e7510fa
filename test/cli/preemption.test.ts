import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import type { TrialEvent } from "../../src/local/types.js";
import { sleep } from "../support/wait.js";
import { PREEMPTIBLE_SCRIPT, parseJsonResult, startCli, tempDir, writeTinyJob } from "./helpers.js";

interface Start {
  index: number;
  attempt: number;
  pid: number;
  resumedFrom: number;
}

function starts(path: string): Start[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Start);
}

function savedStep(path: string): number {
  return existsSync(path) ? Number(readFileSync(path, "utf8")) : 0;
}

async function waitForStart(path: string, index: number, attempt: number): Promise<Start> {
  for (let i = 0; i < 300; i++) {
    const found = starts(path).find((s) => s.index === index && s.attempt === attempt);
    if (found) return found;
    await sleep(50);
  }
  throw new Error(`trial ${index} attempt ${attempt} never started: ${JSON.stringify(starts(path))}`);
}

test("a trial process killed by SIGTERM from outside is preempted, not failed: it resumes as the next attempt, up to maxPreemptionRetries", async () => {
  const dir = tempDir();
  const startsFile = join(dir, "starts.jsonl");
  const file = writeTinyJob(dir, {
    maxTrials: 2,
    parallelism: 1,
    maxFailedTrials: 0,
    maxPreemptionRetries: 1,
    command: [process.execPath, PREEMPTIBLE_SCRIPT],
  });
  const cli = startCli(["run", file, "--state-dir", join(dir, "state"), "--output", "json"], {
    env: { HT_STARTS: startsFile, HT_STEP_MS: "250" },
  });
  // Killed once the attempt has saved two steps of its own: mid-run, whatever the machine's speed.
  const killAfterSomeSteps = async (index: number, attempt: number) => {
    const start = await waitForStart(startsFile, index, attempt);
    const checkpoint = join(dir, "state", "tiny", "trials", String(index), "checkpoint", "step");
    for (let i = 0; i < 200 && savedStep(checkpoint) < start.resumedFrom + 2; i++) await sleep(20);
    process.kill(start.pid, "SIGTERM");
  };
  // Trial 0: preempted once, then finishes from its checkpoint.
  await killAfterSomeSteps(0, 1);
  // Trial 1: preempted twice, one more than the one retry allowed.
  await killAfterSomeSteps(1, 1);
  await killAfterSomeSteps(1, 2);
  const result = await cli.result;

  expect(result.code, result.stderr).toBe(0);
  const json = parseJsonResult(result.stdout);
  // Neither counts against maxFailedTrials: 0.
  expect(json.status).toBe("Succeeded");
  const [first, second] = json.trials;
  expect(first).toMatchObject({ index: 0, phase: "Succeeded" });
  expect(second).toMatchObject({ index: 1, phase: "Preempted", reason: "SIGTERM" });

  const byTrial = starts(startsFile);
  expect(byTrial.map((s) => [s.index, s.attempt])).toEqual([
    [0, 1],
    [0, 2],
    [1, 1],
    [1, 2],
  ]);
  // The second attempt went on from the first one's checkpoint, so the trial's history is one run:
  // steps 1..8 once each, the resumed attempt's reports after the first's.
  const resumed = byTrial[1] as Start;
  expect(resumed.resumedFrom).toBeGreaterThan(0);
  const events = readFileSync(join(dir, "state", "tiny", "trials.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as TrialEvent);
  const finished = events.find((e) => e.event === "finished" && e.index === 0);
  const history = finished?.event === "finished" ? (finished.history ?? []) : [];
  expect(history.map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  expect(first?.metrics.score).toBeCloseTo(first?.parameters.x as number, 5);
  const preempted = events.flatMap((e) => (e.event === "preempted" ? [[e.index, e.attempt]] : []));
  expect(preempted).toEqual([
    [0, 1],
    [1, 1],
  ]);
});
