/**
 * `npm run bench:search`: hypertune's strategies and early-stopping rules
 * side by side with Optuna's samplers and pruners, same problems, budgets
 * and seeds. Optuna runs from a private virtual environment made by
 * `setup.sh`. Writes bench/results/search.md (not in smoke mode) and prints it.
 * BENCH_SEARCH_SMOKE=1: tiny budgets; BENCH_SEARCH_WORKERS: processes at once (2).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, homedir, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { aims } from "./aims.js";
import { allJobs, FULL, SMOKE } from "./jobs.js";
import { PROBLEMS } from "./problems.js";
import { renderReport } from "./report.js";
import { gather } from "./results.js";
import { runJobs } from "./runJobs.js";

const here = fileURLToPath(new URL(".", import.meta.url));

export async function runSearchBench(): Promise<string> {
  const smoke = process.env.BENCH_SEARCH_SMOKE === "1";
  const config = smoke ? SMOKE : FULL;
  const workers = Number(process.env.BENCH_SEARCH_WORKERS ?? 2);
  const venv = process.env.HYPERTUNE_BENCH_VENV ?? join(homedir(), ".cache/hypertune/bench-venv");
  execFileSync("bash", [join(here, "setup.sh")], {
    stdio: "inherit",
    env: { ...process.env, HYPERTUNE_BENCH_VENV: venv },
  });
  const load = loadavg()[0] ?? 0;
  const started = performance.now();
  const results = await runJobs(
    allJobs(
      config,
      PROBLEMS.map((p) => p.id),
    ),
    workers,
    join(venv, "bin/python"),
  );
  const wall = (performance.now() - started) / 1000;
  const gathered = gather(results);
  const context = [
    `${smoke ? "SMOKE RUN (tiny budgets, not a result). " : ""}Run ${new Date().toISOString().slice(0, 10)} on ` +
      `${availableParallelism()} cores shared with other work (load average ${load.toFixed(1)} at the start), ` +
      `${workers} benchmark processes at a time, Node ${process.versions.node}; wall time ${(wall / 60).toFixed(1)} min.`,
    "",
    `Budgets: ${config.trials} trials × ${config.seeds.length} seeds (seeds ${config.seeds[0]}–${config.seeds.at(-1)} on both sides, ` +
      `each side's own generator). The Gaussian-process arms (hypertune Bayesian, Optuna GPSampler) are capped at ` +
      `${config.gpTrials} trials × ${config.gpSeeds.length} seeds, as the issue allows, so that the run fits in 15 minutes; ` +
      "hypertune's Auto runs the full budget, whatever it picks.",
    "",
    "hypertune runs through the engine's `plan()` one trial at a time (parallelism 1); Optuna runs its ask/tell loop. " +
      "Optuna's samplers: RandomSampler, QMCSampler (Sobol, scramble=True so that seeds differ), TPESampler() " +
      "(defaults, the default sampler), GPSampler() (defaults; torch CPU threads as torch chooses). " +
      "Every loss Optuna reports is recomputed here from its parameters and must agree.",
  ];
  const markdown = renderReport(gathered, config, context, aims(gathered, config));
  if (!smoke) {
    const dir = join(here, "../results");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "search.md"), markdown);
  }
  return markdown;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await runSearchBench());
}
