/**
 * Runs one hypertune job of the search benchmark in its own process:
 * `tsx bench/search/worker.ts JOB.json OUT.json`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { runFidelity, runRegret, suggestionLatency } from "./hypertuneArms.js";
import type { Job } from "./jobs.js";
import { PROBLEMS, type Problem } from "./problems.js";

const problem = (id: string) => PROBLEMS.find((p) => p.id === id) as Problem;

function run(job: Job): unknown {
  switch (job.mode) {
    case "regret":
      return {
        problems: Object.fromEntries(
          job.problems.map((id) => [
            id,
            job.seeds.map((seed) => runRegret(job.arm, problem(id), seed, job.trials)),
          ]),
        ),
      };
    case "fidelity":
      return {
        runs: job.seeds.map((seed) => ({
          seed,
          trials: runFidelity(job.arm, seed, job.maxStep, job.resourceCap),
        })),
      };
    case "latency":
      // One untimed pass first, so the JIT is warm for the timed one.
      suggestionLatency(job.arm, problem("hartmann6"), job.sizes[0] ?? 100, 5);
      return {
        cells: job.sizes.map((n) => ({
          n,
          ms: suggestionLatency(job.arm, problem("hartmann6"), n, job.calls),
        })),
      };
  }
}

const [jobPath, outPath] = process.argv.slice(2);
if (!jobPath || !outPath) throw new Error("usage: worker.ts JOB.json OUT.json");
const result = run(JSON.parse(readFileSync(jobPath, "utf8")) as Job) as Record<string, unknown>;
writeFileSync(outPath, JSON.stringify({ ...result, maxRssKb: process.resourceUsage().maxRSS }));
