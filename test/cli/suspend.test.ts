// `suspend` locally means what it means on a cluster: running trials finish,
// no new one starts; editing the file back (or --resume) goes on.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { sleep } from "../support/wait.js";
import { parseJsonResult, runCli, startCli, tempDir, writeTinyJob } from "./helpers.js";

function setSuspend(file: string, suspend: boolean): void {
  const doc = JSON.parse(readFileSync(file, "utf8"));
  doc.spec.suspend = suspend;
  writeFileSync(file, JSON.stringify(doc, null, 2));
}

test("a job started suspended waits, and runs once the file says suspend: false", async () => {
  const dir = tempDir();
  const file = writeTinyJob(dir, { name: "paused", maxTrials: 2 });
  setSuspend(file, true);
  const cli = startCli(["run", file, "--state-dir", join(dir, "state")]);
  await cli.waitForOutput((all) => all.includes("suspended: no new trial starts"), 30_000);
  await sleep(2_500);
  const before = await Promise.race([cli.result.then(() => "ended"), sleep(10).then(() => "waiting")]);
  expect(before).toBe("waiting");
  setSuspend(file, false);
  const result = await cli.result;
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toContain("resumed: spec.suspend is false");
  expect(result.stdout.indexOf("trial 0 started")).toBeGreaterThan(result.stdout.indexOf("resumed"));
}, 60_000);

test("suspend edited in while a trial runs lets it finish and starts no more; --resume goes on", async () => {
  const dir = tempDir();
  const stateRoot = join(dir, "state");
  const file = writeTinyJob(dir, { name: "mid", maxTrials: 3, parallelism: 1 });
  const cli = startCli(["run", file, "--state-dir", stateRoot], { env: { HT_SLEEP_MS: "2500" } });
  await cli.waitForOutput((all) => all.includes("trial 0 started"), 30_000);
  setSuspend(file, true);
  await cli.waitForOutput(
    (all) => all.includes("trial 0 Succeeded") || all.includes("trial 0 finished"),
    30_000,
  );
  await sleep(2_500);
  cli.child.kill("SIGINT");
  const first = await cli.result;
  expect(first.stdout).toContain("suspended: 1 running trial(s) finish");
  expect(first.stdout).not.toContain("trial 1 started");
  setSuspend(file, false);
  const resumed = await runCli(["run", file, "--state-dir", stateRoot, "--resume", "--output", "json"]);
  expect(resumed.code, resumed.stderr).toBe(0);
  const json = parseJsonResult(resumed.stdout);
  expect(json.trials.map((t) => t.phase)).toEqual(["Succeeded", "Succeeded", "Succeeded"]);
}, 90_000);
