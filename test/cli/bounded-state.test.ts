/**
 * A trial that prints a flood does not flood the job's state: its metric
 * reports are written to trials.jsonl at a bounded pace and its log keeps
 * only its newest output (boundedLog.ts), while the result is exact.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { TRIAL_LOG_MAX_BYTES } from "../../src/local/boundedLog.js";
import { DEFAULT_HISTORY_LIMIT } from "../../src/metrics/accumulator.js";
import { parseJsonResult, runCli, tempDir, writeTinyJob } from "./helpers.js";

const LINES = 200_000;
// 200,000 metric lines and as many 80-byte filler lines: about 22 MB of output.
const FLOOD = `
const filler = "# " + "x".repeat(77) + "\\n";
let out = "";
for (let step = 1; step <= ${LINES}; step++) {
  out += "step=" + step + " score=" + step / ${LINES} + "\\n" + filler;
  if (out.length > 1 << 16) { process.stdout.write(out); out = ""; }
}
process.stdout.write(out + "the end\\n");
`;

test("a trial printing 200,000 metric lines adds a bounded number of lines to trials.jsonl and a bounded log", async () => {
  const dir = tempDir();
  const stateRoot = join(dir, "state");
  const file = writeTinyJob(dir, {
    name: "flood",
    maxTrials: 1,
    parallelism: 1,
    command: [process.execPath, "-e", FLOOD],
    args: [],
  });
  const started = Date.now();
  const result = await runCli(["run", file, "--state-dir", stateRoot, "--output", "json"]);
  const seconds = (Date.now() - started) / 1000;
  expect(result.code, result.stderr).toBe(0);
  const [trial] = parseJsonResult(result.stdout).trials;
  expect(trial?.phase).toBe("Succeeded");
  expect(trial?.metrics.score).toBe(1);

  const events = readFileSync(join(stateRoot, "flood", "trials.jsonl"), "utf8")
    .trim()
    .split("\n");
  const reports = events.filter((l) => l.startsWith('{"event":"report"')).length;
  // All of the first ones, then at most one a second while it ran.
  expect(reports).toBeGreaterThanOrEqual(DEFAULT_HISTORY_LIMIT);
  expect(reports).toBeLessThanOrEqual(DEFAULT_HISTORY_LIMIT + Math.ceil(seconds) + 1);
  const finished = JSON.parse(events.find((l) => l.includes('"event":"finished"')) as string);
  expect(finished.history.at(-1)).toEqual({ step: LINES, values: { score: 1 } });

  const log = join(stateRoot, "flood", "trials", "0.log");
  const kept = statSync(log).size + statSync(`${log}.1`).size;
  expect(kept).toBeLessThanOrEqual(TRIAL_LOG_MAX_BYTES);
  expect(kept).toBeGreaterThan(TRIAL_LOG_MAX_BYTES / 2);
  expect(readFileSync(log, "utf8").endsWith(`step=${LINES} score=1\n# ${"x".repeat(77)}\nthe end\n`)).toBe(
    true,
  );
});
