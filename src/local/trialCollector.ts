/**
 * A local trial's metric collector, as the spec's `metrics.collector` says,
 * so that a spec written for the cluster reads the same values here:
 * - Stdout: the process's stdout and stderr;
 * - File: the file the trial writes, tailed while it runs; its path is the
 *   spec's `filePath` mapped into the trial's own folder and passed to the
 *   trial as HYPERTUNE_METRICS_FILE (as on a cluster);
 * - TerminationMessage: the file named by HYPERTUNE_TERMINATION_MESSAGE_PATH,
 *   read once when the process has ended, at most 4 KiB (the kubelet's limit).
 * Every line goes through the one accumulator both backends use.
 */
import { mkdirSync } from "node:fs";
import { open } from "node:fs/promises";
import { basename, join } from "node:path";
import {
  METRICS_FILE_ENV,
  noTerminationMessage,
  TERMINATION_MESSAGE_ENV,
  type TuningJobSpec,
} from "../api/index.js";
import { tailFile } from "../collector/file-tail.js";
import { accumulatorForSpec, type MetricsSnapshot } from "../metrics/accumulator.js";

/** What the kubelet keeps of a termination message. */
export const TERMINATION_MESSAGE_MAX_BYTES = 4096;
const FILE_POLL_MS = 200;

export interface TrialCollector {
  /** Environment the trial needs to find where it writes (empty for Stdout). */
  readonly env: Readonly<Record<string, string>>;
  /** A line the process printed. */
  outputLine(line: string, truncated: boolean): void;
  /** Called when the process has ended: reads what is left, and says why nothing could be read, if so. */
  finish(): Promise<{ unavailable?: string }>;
  snapshot(): MetricsSnapshot;
}

export function startTrialCollector(
  spec: TuningJobSpec,
  trial: { dir: string; container: string },
  onReport: () => void,
): TrialCollector {
  const trialDir = trial.dir;
  const accumulator = accumulatorForSpec(spec);
  const add = (line: string, truncated: boolean) => {
    const before = accumulator.reportCount;
    accumulator.addLine(line, truncated, Date.now());
    if (accumulator.reportCount > before) onReport();
  };
  const base = { snapshot: () => accumulator.snapshot() };
  switch (spec.metrics.collector) {
    case "Stdout":
      return { ...base, env: {}, outputLine: add, finish: async () => ({}) };
    case "File": {
      mkdirSync(trialDir, { recursive: true });
      const path = join(trialDir, basename(spec.metrics.filePath));
      const stop = new AbortController();
      const tail: Promise<{ unavailable?: string }> = tailFile({
        path,
        pollMs: FILE_POLL_MS,
        signal: stop.signal,
        onLines: (lines) => {
          for (const l of lines) add(l.text, l.truncated);
        },
      }).then(
        () => ({}),
        (err: unknown) => ({ unavailable: `cannot read ${path}: ${String(err)}` }),
      );
      return {
        ...base,
        env: { [METRICS_FILE_ENV]: path },
        outputLine: () => {},
        finish: async () => {
          stop.abort();
          return tail;
        },
      };
    }
    case "TerminationMessage": {
      mkdirSync(trialDir, { recursive: true });
      const path = join(trialDir, "termination-log");
      return {
        ...base,
        env: { [TERMINATION_MESSAGE_ENV]: path },
        outputLine: () => {},
        finish: async () => {
          const message = await readStart(path, TERMINATION_MESSAGE_MAX_BYTES);
          // The same words as the operator's, for the same missing message.
          if (message.trim() === "") return { unavailable: noTerminationMessage(trial.container) };
          for (const line of message.split(/\r\n|\n|\r/)) add(line, false);
          return {};
        },
      };
    }
  }
}

/** The first `max` bytes of a file, or "" when there is none. */
async function readStart(path: string, max: number): Promise<string> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, "r");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw err;
  }
  try {
    const buffer = Buffer.alloc(max);
    const { bytesRead } = await handle.read(buffer, 0, max, 0);
    return buffer.subarray(0, bytesRead).toString("utf8");
  } finally {
    await handle.close();
  }
}
