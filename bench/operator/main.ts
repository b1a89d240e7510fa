/**
 * `npm run bench:operator`: the operator's per-trial overhead and its cost at
 * scale, on the test harness's real control plane (see README.md here).
 * Knobs (environment): BENCH_TRIALS (200), BENCH_PARALLELISM (20),
 * BENCH_SCALE_JOBS (20), BENCH_SCALE_TRIALS (500 per job),
 * BENCH_SCALE_PARALLELISM (2 per job), BENCH_SCALE_MINUTES (10),
 * BENCH_CPU_PROF (a folder: V8 CPU profile of the overhead run's operator),
 * BENCH_ONLY (comma list of baseline, overhead, scale), BENCH_OUT
 * (default bench/results/operator.md).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { dirname, resolve } from "node:path";
import { ensureBuilt } from "../../test/support/operator-process.js";
import { type BaselineResult, runBaseline } from "./baseline.js";
import { startBenchCluster } from "./bench-cluster.js";
import { type OverheadResult, runOverhead } from "./overhead-run.js";
import { environmentTable, overheadTable, scaleTable } from "./report.js";
import { runScale, type ScaleResult } from "./scale-run.js";

const repoRoot = resolve(import.meta.dirname, "..", "..");
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const config = {
  trials: num("BENCH_TRIALS", 200),
  parallelism: num("BENCH_PARALLELISM", 20),
  scaleJobs: num("BENCH_SCALE_JOBS", 20),
  scaleTrials: num("BENCH_SCALE_TRIALS", 500),
  scaleParallelism: num("BENCH_SCALE_PARALLELISM", 2),
  scaleMinutes: num("BENCH_SCALE_MINUTES", 10),
  cpuProfileDir: process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : undefined,
  only: new Set((process.env.BENCH_ONLY ?? "baseline,overhead,scale").split(",")),
  out: resolve(process.env.BENCH_OUT ?? resolve(repoRoot, "bench", "results", "operator.md")),
};

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join("/");
const log = (line: string) => process.stderr.write(`[bench:operator] ${line}\n`);

async function main(): Promise<void> {
  const loadBefore = load();
  log("building the operator (tsc) when src/ is newer than dist/");
  ensureBuilt();
  log(
    `starting the cluster (node agent: ${Math.max(250, config.scaleJobs * config.scaleParallelism + 50)} pods)`,
  );
  const cluster = await startBenchCluster({
    pods: Math.max(250, config.scaleJobs * config.scaleParallelism + 50),
    cpu: "64",
  });
  let baseline: BaselineResult | undefined;
  let overhead: OverheadResult | undefined;
  let scale: ScaleResult | undefined;
  try {
    if (config.only.has("baseline")) {
      log(`baseline: ${config.trials} plain Jobs, ${config.parallelism} at a time`);
      baseline = await runBaseline(
        cluster.kc,
        await cluster.newNamespace("bench-baseline"),
        config.trials,
        config.parallelism,
      );
      log(`baseline: ${JSON.stringify(baseline)}`);
    }
    if (config.only.has("overhead")) {
      log(`overhead: one TuningJob, ${config.trials} trials, parallelism ${config.parallelism}`);
      overhead = await runOverhead(
        cluster.kc,
        cluster.kubeconfigPath,
        await cluster.newNamespace("bench-overhead"),
        config.trials,
        config.parallelism,
        config.cpuProfileDir,
      );
      log(`overhead: ${JSON.stringify(overhead)}`);
    }
    if (config.only.has("scale")) {
      log(
        `scale: ${config.scaleJobs} TuningJobs × ${config.scaleTrials} trials, parallelism ${config.scaleParallelism}, at most ${config.scaleMinutes} min`,
      );
      scale = await runScale(
        cluster.kc,
        cluster.kubeconfigPath,
        await cluster.newNamespace("bench-scale"),
        {
          jobs: config.scaleJobs,
          trialsPerJob: config.scaleTrials,
          parallelism: config.scaleParallelism,
          durationMs: config.scaleMinutes * 60_000,
        },
        log,
      );
    }
  } catch (error) {
    log(`failed; cluster logs in ${cluster.logDir}`);
    throw error;
  } finally {
    await cluster.stop();
  }

  const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
    cwd: repoRoot,
    encoding: "utf8",
  }).trim();
  const sections = [
    "## Environment",
    environmentTable({
      date: new Date().toISOString(),
      commit,
      node: process.version,
      cores: availableParallelism(),
      loadBefore,
      loadAfter: load(),
    }),
  ];
  if (overhead)
    sections.push(
      `## Overhead run (${overhead.trials} trials, parallelism ${overhead.parallelism})`,
      overheadTable(overhead, baseline),
    );
  if (scale) sections.push("## Scale run", scaleTable(scale));
  const markdown = `${sections.join("\n\n")}\n`;
  process.stdout.write(markdown);
  mkdirSync(dirname(config.out), { recursive: true });
  const raw = config.out.replace(/\.md$/, ".json");
  writeFileSync(
    raw,
    `${JSON.stringify({ config: { ...config, only: [...config.only] }, baseline, overhead, scale }, null, 2)}\n`,
  );
  writeFileSync(
    config.out,
    `# Operator benchmark\n\nWritten by \`npm run bench:operator\` (bench/operator/).\n\n${markdown}`,
  );
  log(`tables in ${config.out}, raw numbers in ${raw}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
