/** Runs the benchmark's jobs as child processes, a few at a time. */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { armLabel, type Job } from "./jobs.js";
import { MIXED_CONSTANTS, PROBLEMS } from "./problems.js";

const here = fileURLToPath(new URL(".", import.meta.url));

export interface JobResult {
  job: Job;
  seconds: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON from the child, read by report.ts with its own shapes.
  data: any;
}

/** What the Python side needs besides the job: the spaces and the mixed problem's constants. */
function optunaJob(job: Job): unknown {
  const space = (id: string) => {
    const p = PROBLEMS.find((q) => q.id === id);
    return { id, python: p?.python };
  };
  return {
    ...job,
    ...(job.mode === "regret" && { problems: job.problems.map(space) }),
    hartmann6: space("hartmann6"),
    mixed: MIXED_CONSTANTS,
  };
}

function runOne(job: Job, dir: string, n: number, python: string): Promise<JobResult> {
  const jobPath = join(dir, `job-${n}.json`);
  const outPath = join(dir, `out-${n}.json`);
  writeFileSync(jobPath, JSON.stringify(job.side === "optuna" ? optunaJob(job) : job));
  const [command, args] =
    job.side === "optuna"
      ? [python, [join(here, "optuna_arms.py"), jobPath, outPath]]
      : [process.execPath, ["--import", "tsx", join(here, "worker.ts"), jobPath, outPath]];
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0)
        return reject(new Error(`${armLabel(job.side, job.arm)} ${job.mode} exited with ${code}`));
      const seconds = (performance.now() - start) / 1000;
      resolve({ job, seconds, data: JSON.parse(readFileSync(outPath, "utf8")) });
    });
  });
}

/** Runs every job, `workers` at a time, in the given order; logs each as it ends. */
export async function runJobs(jobs: Job[], workers: number, python: string): Promise<JobResult[]> {
  const dir = mkdtempSync(join(tmpdir(), "hypertune-bench-search-"));
  const results: JobResult[] = [];
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const n = next++;
      const job = jobs[n] as Job;
      const result = await runOne(job, dir, n, python);
      results.push(result);
      const what = job.mode === "regret" ? job.problems.join(",") : job.mode;
      const at = ((performance.now() - started) / 1000).toFixed(0);
      process.stderr.write(
        `[${at}s] ${results.length}/${jobs.length} ${armLabel(job.side, job.arm)} ${what}: ${result.seconds.toFixed(1)} s\n`,
      );
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
