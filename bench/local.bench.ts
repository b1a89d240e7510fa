/**
 * Overhead of the local backend per trial: 1,000 trials of a command that
 * exits at once, at parallelism 8, against the ideal of 1,000 × (the cost of
 * spawning the same binary directly) ÷ 8. What is left is the runner's own
 * work: planning after every event, the event log, log files, output parsing.
 * Run: `npx tsx bench/local.bench.ts`. On a machine with fewer than 8 cores the
 * ÷ 8 ideal is out of reach for any runner, so the table also shows 8 direct
 * spawns at a time.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { LocalRun } from "../src/local/index.js";

const TRIALS = 1_000;
const PARALLELISM = 8;
const DIRECT_SPAWNS = 300;
/** Each figure is the median of this many runs: spawn times on a shared machine are noisy. */
const REPETITIONS = 3;

async function median(measure: () => Promise<number>): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < REPETITIONS; i++) values.push(await measure());
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)] ?? Number.NaN;
}

interface Workload {
  label: string;
  command: string[];
}

const WORKLOADS: Workload[] = [
  { label: "`/bin/true` (no output)", command: ["/bin/true"] },
  { label: "`/bin/echo score=…` (one metric line)", command: ["/bin/echo", "score=${params.x}"] },
];

function spawnOnce(command: string[]): Promise<void> {
  const [program = "", ...args] = command;
  return new Promise((done, fail) => {
    const child = spawn(
      program,
      args.map((a) => a.replace("${params.x}", "0.5")),
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    child.stdout.resume();
    child.stderr.resume();
    child.once("error", fail);
    child.once("close", () => done());
  });
}

/** Milliseconds per spawn, `concurrency` at a time, over `count` spawns. */
async function directSpawnCost(command: string[], count: number, concurrency: number): Promise<number> {
  for (let i = 0; i < 20; i++) await spawnOnce(command);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        await spawnOnce(command);
      }
    }),
  );
  return (performance.now() - started) / count;
}

async function runnerWallMs(workload: Workload): Promise<{ ms: number; finished: number }> {
  const dir = mkdtempSync(join(tmpdir(), "hypertune-bench-"));
  try {
    const job = {
      apiVersion: "hypertune.dev/v1alpha1",
      kind: "TuningJob",
      metadata: { name: "overhead" },
      spec: {
        objective: { metric: "score", direction: "Maximize" },
        parameters: [{ name: "x", type: "Float", min: 0, max: 1 }],
        search: { strategy: "Random", seed: 1 },
        // /bin/true reports nothing, so every trial ends MetricsUnavailable; let all 1,000 run.
        limits: { maxTrials: TRIALS, parallelism: PARALLELISM, maxFailedTrials: TRIALS },
        trialTemplate: {
          job: {
            template: { spec: { containers: [{ name: "t", image: "none", command: workload.command }] } },
          },
        },
      },
    };
    const file = join(dir, "job.yaml");
    writeFileSync(file, JSON.stringify(job));
    const started = performance.now();
    const outcome = await new LocalRun({ file, stateRoot: join(dir, "state") }).start();
    const ms = performance.now() - started;
    return { ms, finished: outcome.trials.filter((t) => t.phase !== "Running").length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runLocalBench(): Promise<string> {
  const rows = [
    `Local runner: ${TRIALS} trials at parallelism ${PARALLELISM}, ${availableParallelism()} CPU cores, ` +
      `Node ${process.versions.node}, load average ${loadavg()[0]?.toFixed(1)} at the start, medians of ${REPETITIONS} runs`,
    "",
    "| trial command | direct spawn, 1 at a time (ms) | ideal: ×1000÷8 (s) | direct, 8 at a time, ×1000 (s) | runner wall (s) | runner ms/trial | overhead vs ideal |",
    "|---|---:|---:|---:|---:|---:|---:|",
  ];
  for (const w of WORKLOADS) {
    const serial = await median(() => directSpawnCost(w.command, DIRECT_SPAWNS, 1));
    const parallel = await median(() => directSpawnCost(w.command, DIRECT_SPAWNS, PARALLELISM));
    const ideal = (TRIALS * serial) / PARALLELISM;
    const ms = await median(async () => {
      const { ms, finished } = await runnerWallMs(w);
      if (finished !== TRIALS) throw new Error(`only ${finished} of ${TRIALS} trials finished`);
      return ms;
    });
    rows.push(
      `| ${w.label} | ${serial.toFixed(2)} | ${(ideal / 1000).toFixed(2)} | ${((parallel * TRIALS) / 1000).toFixed(2)} | ` +
        `${(ms / 1000).toFixed(2)} | ${(ms / TRIALS).toFixed(2)} | ${(ms / ideal).toFixed(1)}× |`,
    );
  }
  return `${rows.join("\n")}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.stdout.write(await runLocalBench());
}
