/** Runs the real CLI from source (node + tsx, one process, so signals reach it directly). */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RunResultJson } from "../../src/local/index.js";

export const REPO = fileURLToPath(new URL("../..", import.meta.url));
export const ENTRY = join(REPO, "src/cli/entry.ts");
export const TRIAL_SCRIPT = join(REPO, "test/cli/fixtures/trial.mjs");
export const PREEMPTIBLE_SCRIPT = join(REPO, "test/cli/fixtures/preemptible.mjs");

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliProcess {
  child: ChildProcess;
  /** Resolves once stderr+stdout contain text matching the predicate. */
  waitForOutput(predicate: (all: string) => boolean, timeoutMs?: number): Promise<void>;
  result: Promise<CliResult>;
}

export function startCli(
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string } = {},
): CliProcess {
  const child = spawn(process.execPath, ["--import", "tsx", ENTRY, ...args], {
    cwd: opts.cwd ?? REPO,
    env: { ...process.env, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const waiters: { predicate: (all: string) => boolean; done: () => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      if (w.predicate(stdout + stderr)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.done();
      }
    }
  };
  child.stdout?.on("data", (c: Buffer) => {
    stdout += c.toString();
    check();
  });
  child.stderr?.on("data", (c: Buffer) => {
    stderr += c.toString();
    check();
  });
  const result = new Promise<CliResult>((done) =>
    child.on("close", (code, signal) => done({ code, signal, stdout, stderr })),
  );
  return {
    child,
    result,
    waitForOutput(predicate, timeoutMs = 60_000) {
      return new Promise<void>((done, fail) => {
        const timer = setTimeout(
          () => fail(new Error(`timed out waiting for output; got:\n${stdout}\n${stderr}`)),
          timeoutMs,
        );
        waiters.push({
          predicate,
          done: () => {
            clearTimeout(timer);
            done();
          },
        });
        check();
      });
    },
  };
}

export function runCli(
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string } = {},
): Promise<CliResult> {
  return startCli(args, opts).result;
}

export function tempDir(prefix = "hypertune-cli-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface TinyJobOptions {
  name?: string;
  maxTrials?: number;
  parallelism?: number;
  maxFailedTrials?: number;
  trialTimeout?: string;
  maxPreemptionRetries?: number;
  maxGpuHours?: number;
  gpus?: number;
  args?: string[];
  env?: { name: string; value: string }[];
  parameters?: unknown[];
  strategy?: string;
  earlyStopping?: Record<string, unknown>;
  metrics?: Record<string, unknown>;
  /** Replaces the trial's command (default: node fixtures/trial.mjs). */
  command?: string[];
  objective?: Record<string, unknown>;
  trialRetention?: { keepBest?: number; keepLast?: number };
}

/** Writes a TuningJob running fixtures/trial.mjs into dir and returns its path. JSON is valid YAML. */
export function writeTinyJob(dir: string, o: TinyJobOptions = {}): string {
  const job = {
    apiVersion: "hypertune.dev/v1alpha1",
    kind: "TuningJob",
    metadata: { name: o.name ?? "tiny" },
    spec: {
      objective: o.objective ?? { metric: "score", direction: "Maximize" },
      parameters: o.parameters ?? [{ name: "x", type: "Float", min: 0, max: 1 }],
      search: { strategy: o.strategy ?? "Random", seed: 7 },
      ...(o.earlyStopping && { earlyStopping: o.earlyStopping }),
      ...(o.metrics && { metrics: o.metrics }),
      ...(o.trialRetention && { trialRetention: o.trialRetention }),
      limits: {
        maxTrials: o.maxTrials ?? 4,
        parallelism: o.parallelism ?? 2,
        maxFailedTrials: o.maxFailedTrials ?? 3,
        ...(o.trialTimeout && { trialTimeout: o.trialTimeout }),
        ...(o.maxPreemptionRetries !== undefined && { maxPreemptionRetries: o.maxPreemptionRetries }),
        ...(o.maxGpuHours !== undefined && { maxGpuHours: o.maxGpuHours }),
      },
      trialTemplate: {
        gpus: o.gpus ?? 0,
        job: {
          template: {
            spec: {
              restartPolicy: "Never",
              containers: [
                {
                  name: "trial",
                  image: "unused-locally",
                  command: o.command ?? [process.execPath, TRIAL_SCRIPT],
                  args: o.args ?? ["--x=${params.x}"],
                  ...(o.env && { env: o.env }),
                },
              ],
            },
          },
        },
      },
    },
  };
  const path = join(dir, "job.yaml");
  writeFileSync(path, JSON.stringify(job, null, 2));
  return path;
}

/** The CLI's `--output json` document, as `hypertune run` writes it. */
export type JsonResult = RunResultJson;

export function parseJsonResult(stdout: string): JsonResult {
  return JSON.parse(stdout) as JsonResult;
}

/** The CLI's main() in this process, for fast checks of usage and help (no trials run). */
export async function runMain(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import("../../src/cli/main.js");
  const { Writable } = await import("node:stream");
  let stdout = "";
  let stderr = "";
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const code = await main(args, { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)) });
  return { code, stdout, stderr };
}
