// spec.trialRetention with `hypertune run`: the same retirement as the
// operator's (engine/retention.ts), logged in trials.jsonl and replayed by
// --resume; nothing is deleted from the state folder.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { parseJsonResult, runCli, startCli, tempDir, writeTinyJob } from "./helpers.js";

interface Event {
  event: string;
  index?: number;
  indices?: number[];
  below?: number;
}

const eventsIn = (path: string): Event[] =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Event);

test("retires old trials, through a kill -9 and --resume: every trial once, the best of all reported", async () => {
  const dir = tempDir();
  const stateRoot = join(dir, "state");
  const file = writeTinyJob(dir, {
    name: "retained",
    strategy: "TPE",
    maxTrials: 24,
    parallelism: 2,
    trialRetention: { keepBest: 2, keepLast: 4 },
  });
  const events = join(stateRoot, "retained", "trials.jsonl");
  const args = ["run", file, "--state-dir", stateRoot, "--output", "json"];

  const first = startCli(args, { env: { HT_SLEEP_MS: "150" } });
  await first.waitForOutput((all) => (all.match(/ Succeeded /g) ?? []).length >= 10);
  first.child.kill("SIGKILL");
  await first.result;
  const retiredBefore = eventsIn(events).filter((e) => e.event === "retired");
  expect(retiredBefore.length).toBeGreaterThan(0);

  const resumed = await runCli([...args, "--resume"], { env: { HT_SLEEP_MS: "50" } });
  expect(resumed.code, resumed.stderr).toBe(0);
  const json = parseJsonResult(resumed.stdout);
  expect(json.trials.map((t) => t.index)).toEqual(Array.from({ length: 24 }, (_, i) => i));
  expect(json.trials.every((t) => t.phase === "Succeeded")).toBe(true);
  const scores = json.trials.map((t) => t.metrics?.score as number);
  expect(json.bestTrial?.metrics.score).toBe(Math.max(...scores));

  // Each retired trial had finished, retired once, and was never the best.
  const all = eventsIn(events);
  const retired = all.filter((e) => e.event === "retired").flatMap((e) => e.indices ?? []);
  expect(new Set(retired).size).toBe(retired.length);
  expect(retired.length).toBeGreaterThan(24 - 2 - 4 - 2);
  expect(retired).not.toContain(json.bestTrial?.index);
  for (const index of retired) {
    const finishedAt = all.findIndex((e) => e.event === "finished" && e.index === index);
    const retiredAt = all.findIndex((e) => e.event === "retired" && e.indices?.includes(index));
    expect(finishedAt).toBeGreaterThanOrEqual(0);
    expect(finishedAt).toBeLessThan(retiredAt);
  }
  // Retired trials were not run again after the resume.
  for (const index of retiredBefore.flatMap((e) => e.indices ?? []))
    expect(all.filter((e) => e.event === "started" && e.index === index)).toHaveLength(1);
}, 120_000);
