// bench:scale's local run: `hypertune run`'s runner (in this process) on a job of
// many trivial trials (`/bin/echo loss=…`): planning time per trial as the job
// grows, the process's RSS, and what the job leaves in its state folder.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalRun } from "../../src/local/index.js";

export interface LocalRunOptions {
  strategy: string;
  trials: number;
  parallelism: number;
}

export interface LocalWindow {
  /** Finished trials at the end of the window. */
  finished: number;
  planMsPerTrial: number;
  rssBytes: number;
}

export interface LocalRunResult {
  options: LocalRunOptions;
  elapsedMs: number;
  finished: number;
  windows: LocalWindow[];
  peakRssBytes: number;
  stateBytes: number;
  eventLines: number;
}

const WINDOW_ENDS = [1_000, 10_000, 25_000, 50_000, 100_000];

export async function runLocal(
  options: LocalRunOptions,
  progress: (line: string) => void,
): Promise<LocalRunResult> {
  const dir = mkdtempSync(join(tmpdir(), "hypertune-scale-local-"));
  try {
    const job = {
      apiVersion: "hypertune.dev/v1alpha1",
      kind: "TuningJob",
      metadata: { name: "scale-local" },
      spec: {
        objective: { metric: "loss", direction: "Minimize" },
        parameters: ["x", "y", "z"].map((name) => ({ name, type: "Float", min: 0, max: 1 })),
        search: { strategy: options.strategy, seed: 1 },
        limits: { maxTrials: options.trials, parallelism: options.parallelism },
        trialTemplate: {
          job: {
            template: {
              spec: {
                containers: [{ name: "t", image: "none", command: ["/bin/echo", "loss=${params.x}"] }],
              },
            },
          },
        },
      },
    };
    const file = join(dir, "job.yaml");
    writeFileSync(file, JSON.stringify(job));
    const windows: LocalWindow[] = [];
    let planSeconds = 0;
    let windowStart = { finished: 0, planSeconds: 0 };
    let finished = 0;
    const started = performance.now();
    const outcome = await new LocalRun({
      file,
      stateRoot: join(dir, "state"),
      reporter: {
        planned: (_plan, seconds) => {
          planSeconds += seconds;
        },
        trialFinished: () => {
          finished++;
          const end = WINDOW_ENDS.find((n) => n > windowStart.finished);
          if (finished === end || finished === options.trials) {
            windows.push({
              finished,
              planMsPerTrial:
                ((planSeconds - windowStart.planSeconds) * 1000) / (finished - windowStart.finished),
              rssBytes: process.memoryUsage().rss,
            });
            windowStart = { finished, planSeconds };
            progress(`local ${options.strategy}: ${finished}/${options.trials} finished`);
          }
        },
      },
    }).start();
    const elapsedMs = performance.now() - started;
    const stateDir = join(dir, "state");
    const stateBytes = Number(execFileSync("du", ["-sb", stateDir], { encoding: "utf8" }).split("\t")[0]);
    const log = execFileSync("find", [stateDir, "-name", "trials.jsonl"], { encoding: "utf8" }).trim();
    const eventLines = log ? readFileSync(log, "utf8").split("\n").length - 1 : 0;
    return {
      options,
      elapsedMs,
      finished: outcome.trials.filter((t) => t.phase !== "Running").length,
      windows,
      // ru_maxrss is in KiB on Linux.
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      stateBytes,
      eventLines,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
