// The File and TerminationMessage collectors locally: a spec written for the
// cluster reads the same values on a laptop, and stdout is then not read.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { parseJsonResult, runCli, tempDir, writeTinyJob } from "./helpers.js";

/** A trial that prints a misleading score on stdout and the real one where the collector reads. */
const script = (write: string) => `
const fs = require("node:fs");
const x = Number(process.argv[1]);
console.log("score=-1");
const lines = [1, 2, 3].map((step) => "step=" + step + " score=" + (x * step).toFixed(3));
${write}
`;

test("File: the trial's file is tailed at HYPERTUNE_METRICS_FILE, in the trial's own folder", async () => {
  const dir = tempDir();
  const file = writeTinyJob(dir, {
    name: "file-collector",
    maxTrials: 2,
    metrics: { collector: "File", filePath: "/var/run/hypertune/metrics.log" },
    command: [
      process.execPath,
      "-e",
      script(`for (const l of lines) fs.appendFileSync(process.env.HYPERTUNE_METRICS_FILE, l + "\\n");`),
    ],
    args: ["${params.x}"],
  });
  const stateRoot = join(dir, "state");
  const result = await runCli(["run", file, "--state-dir", stateRoot, "--output", "json"]);
  expect(result.code, result.stderr).toBe(0);
  const json = parseJsonResult(result.stdout);
  for (const t of json.trials) {
    expect(t.phase).toBe("Succeeded");
    const x = Number(t.parameters.x);
    expect(t.metrics?.score).toBeCloseTo(x * 3, 3);
    // The file is where the environment said, in the trial's folder under the state dir.
    const written = readFileSync(
      join(stateRoot, "file-collector", "trials", String(t.index), "metrics.log"),
      "utf8",
    );
    expect(written.trim().split("\n")).toHaveLength(3);
  }
}, 60_000);

test("TerminationMessage: read once the process ended; none written is MetricsUnavailable, saying so", async () => {
  const dir = tempDir();
  const file = writeTinyJob(dir, {
    name: "termination",
    maxTrials: 4,
    parallelism: 1,
    maxFailedTrials: 4,
    metrics: { collector: "TerminationMessage" },
    // Trials with x < 0.5 write nothing.
    command: [
      process.execPath,
      "-e",
      script(`if (x >= 0.5) fs.writeFileSync(process.env.HYPERTUNE_TERMINATION_MESSAGE_PATH, lines.at(-1));`),
    ],
    args: ["${params.x}"],
  });
  const result = await runCli(["run", file, "--state-dir", join(dir, "state"), "--output", "json"]);
  const json = parseJsonResult(result.stdout);
  const xs = json.trials.map((t) => Number(t.parameters.x));
  expect(xs.some((x) => x < 0.5) && xs.some((x) => x >= 0.5), `draws ${xs}`).toBe(true);
  for (const t of json.trials) {
    const x = Number(t.parameters.x);
    if (x >= 0.5) {
      expect(t.phase).toBe("Succeeded");
      expect(t.metrics?.score).toBeCloseTo(x * 3, 3);
    } else {
      expect(t.phase).toBe("MetricsUnavailable");
      expect(t.message).toBe(
        "the trial ended without reporting score (container trial has no termination message)",
      );
    }
  }
}, 60_000);

test("Python trials print unbuffered (PYTHONUNBUFFERED=1): reports arrive while the trial runs", async () => {
  const dir = tempDir();
  const python = `
import sys, time
for step in range(1, 4):
    print(f"step={step} score={step / 10}")
    time.sleep(0.4)
`;
  const file = writeTinyJob(dir, {
    name: "python",
    maxTrials: 1,
    parallelism: 1,
    command: ["python3", "-c", python],
    args: [],
  });
  const stateRoot = join(dir, "state");
  const result = await runCli(["run", file, "--state-dir", stateRoot, "--output", "json"]);
  expect(result.code, result.stderr).toBe(0);
  const reportTimes = readFileSync(join(stateRoot, "python", "trials.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { event: string; at: number })
    .filter((e) => e.event === "report")
    .map((e) => e.at);
  expect(reportTimes).toHaveLength(3);
  // Block-buffered, all three would arrive together at exit.
  expect((reportTimes[2] ?? 0) - (reportTimes[0] ?? 0)).toBeGreaterThan(500);
}, 60_000);
