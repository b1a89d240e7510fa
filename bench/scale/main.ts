/**
 * `npm run bench:scale`: the operator at scale on KWOK's simulated nodes (the
 * real control plane; no process per trial). Prints and writes
 * bench/results/scale.md. Knobs (environment): BENCH_SCALE_TRIALS (50000),
 * BENCH_SCALE_PARALLELISM (200), BENCH_SCALE_STRATEGIES (Random,TPE),
 * BENCH_SCALE_POD_MS (how long each simulated pod runs, 2000),
 * BENCH_SCALE_MINUTES (the most one job may run before it is cut, 60),
 * BENCH_SCALE_NODES (KWOK nodes, 110 pods each; default enough for the
 * parallelism); for the many-jobs run BENCH_SCALE_JOBS (200),
 * BENCH_SCALE_NAMESPACES (20), BENCH_SCALE_JOB_TRIALS (250),
 * BENCH_SCALE_JOB_PARALLELISM (2); for the local run BENCH_SCALE_LOCAL_TRIALS
 * (50000, TPE, parallelism 8); BENCH_ONLY (local,one,many); BENCH_OUT.
 */

import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { dirname, resolve } from "node:path";
import { runBuild } from "../../test/cluster/build.js";
import { ensureBuilt } from "../../test/support/operator-process.js";
import { startScaleCluster } from "./kwok-cluster.js";
import { runLocal } from "./local-run.js";
import { type ManyJobsResult, runManyJobs } from "./many-jobs.js";
import { type OneJobResult, runOneJob } from "./one-job.js";
import { localTable, manyJobsTable, oneJobTable } from "./report.js";

const repoRoot = resolve(import.meta.dirname, "..", "..");
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const parallelism = num("BENCH_SCALE_PARALLELISM", 200);
const config = {
  trials: num("BENCH_SCALE_TRIALS", 50_000),
  parallelism,
  strategies: (process.env.BENCH_SCALE_STRATEGIES ?? "Random,TPE").split(","),
  podDurationMs: num("BENCH_SCALE_POD_MS", 2_000),
  maxMinutes: num("BENCH_SCALE_MINUTES", 60),
  jobs: num("BENCH_SCALE_JOBS", 200),
  namespaces: num("BENCH_SCALE_NAMESPACES", 20),
  jobTrials: num("BENCH_SCALE_JOB_TRIALS", 250),
  jobParallelism: num("BENCH_SCALE_JOB_PARALLELISM", 2),
  localTrials: num("BENCH_SCALE_LOCAL_TRIALS", 50_000),
  only: new Set((process.env.BENCH_ONLY ?? "local,one,many").split(",")),
  out: resolve(process.env.BENCH_OUT ?? resolve(repoRoot, "bench", "results", "scale.md")),
};
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join("/");
const log = (line: string) => process.stderr.write(`[bench:scale] ${line}\n`);

async function main(): Promise<void> {
  const loadBefore = load();
  ensureBuilt();
  await runBuild();
  // First, while this process holds nothing else: its peak RSS is the runner's.
  const local = config.only.has("local")
    ? await runLocal({ strategy: "TPE", trials: config.localTrials, parallelism: 8 }, log)
    : undefined;
  const results: OneJobResult[] = [];
  let many: ManyJobsResult | undefined;
  const pods = Math.max(config.parallelism, config.jobs * config.jobParallelism);
  const nodes = num("BENCH_SCALE_NODES", Math.ceil(pods / 100) + 1);
  if (config.only.has("one") || config.only.has("many")) {
    log(`starting the control plane and ${nodes} KWOK nodes`);
    const cluster = await startScaleCluster(nodes);
    try {
      for (const strategy of config.only.has("one") ? config.strategies : []) {
        log(`${strategy}: ${config.trials} trials, parallelism ${config.parallelism}`);
        const options = {
          strategy,
          trials: config.trials,
          parallelism: config.parallelism,
          podDurationMs: config.podDurationMs,
          maxMinutes: config.maxMinutes,
          restartAt: 0.5,
        };
        results.push(await runOneJob(cluster, options, log));
      }
      if (config.only.has("many")) {
        log(`${config.jobs} TuningJobs × ${config.jobTrials} trials in ${config.namespaces} namespaces`);
        const options = {
          jobs: config.jobs,
          namespaces: config.namespaces,
          trialsPerJob: config.jobTrials,
          parallelismPerJob: config.jobParallelism,
          podDurationMs: config.podDurationMs,
          maxMinutes: config.maxMinutes,
        };
        many = await runManyJobs(cluster, options, log);
      }
    } finally {
      await cluster.stop();
    }
  }
  const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
    cwd: repoRoot,
    encoding: "utf8",
  }).trim();
  const text = [
    "# bench:scale",
    "",
    `Commit ${commit}, ${availableParallelism()} cores, load ${loadBefore} before → ${load()} after. ` +
      `${nodes} KWOK nodes; each trial's pod runs ${config.podDurationMs} ms (KWOK's delay); ` +
      "the operator is SIGKILLed and restarted once half the trials have finished.",
    "",
    ...(results.length > 0 ? [oneJobTable(results), ""] : []),
    ...(many ? [manyJobsTable(many), ""] : []),
    ...(local ? [localTable(local), ""] : []),
  ].join("\n");
  console.log(text);
  mkdirSync(dirname(config.out), { recursive: true });
  writeFileSync(config.out, text);
}

await main();
