/**
 * Opens (or creates) a job's state folder: a lock against two runners at once,
 * `job.json` with the seed and spec hash, and the trials rebuilt from
 * `trials.jsonl` when resuming.
 */
import { randomInt } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import type { TuningJobSpec } from "../api/index.js";
import { LocalUsageError } from "./errors.js";
import { type RebuiltState, readRebuiltState } from "./rebuildTrials.js";
import { specHash } from "./specHash.js";
import { type StatePaths, statePaths } from "./stateDir.js";
import type { JobRecord } from "./types.js";

export interface OpenedJobState {
  paths: StatePaths;
  record: JobRecord;
  rebuilt: RebuiltState;
  resumed: boolean;
  /**
   * The strategy recorded in `job.json`; the first call records `choice`
   * (what the engine resolves now) when none is, later ones keep the first.
   */
  pinStrategy(choice: string): string;
  /** Removes the lock; call when the runner ends. */
  unlock(): void;
}

export interface OpenJobStateOptions {
  stateRoot: string;
  jobName: string;
  file: string;
  spec: TuningJobSpec;
  resume: boolean;
}

const EMPTY: RebuiltState = {
  finished: [],
  interrupted: [],
  unfinished: [],
  retirements: [],
  previousElapsedMs: 0,
  skippedLines: 0,
};

export function openJobState(opts: OpenJobStateOptions): OpenedJobState {
  const paths = statePaths(opts.stateRoot, opts.jobName);
  const hash = specHash(opts.spec);
  const existing = readJobRecord(paths.jobRecord);

  if (existing && !opts.resume) {
    throw new LocalUsageError(
      `job "${opts.jobName}" already has state in ${paths.dir}\n` +
        "  add --resume to continue it, or --state-dir DIR to start a separate run (or delete that folder)",
    );
  }
  if (existing && existing.specHash !== hash) {
    throw new LocalUsageError(
      `the spec of "${opts.jobName}" changed since its state in ${paths.dir} was written, so its trials ` +
        "would not mean the same thing.\n  Only limits (maxTrials, parallelism, timeouts…) may change on --resume; " +
        "use --state-dir DIR or a new metadata.name to start a fresh search",
    );
  }

  mkdirSync(paths.trialLogs, { recursive: true });
  const unlock = lock(paths.dir);
  try {
    if (existing) {
      const rebuilt = readRebuiltState(paths.events);
      const pinStrategy = strategyPinner(paths.jobRecord, existing);
      return { paths, record: existing, rebuilt, resumed: true, pinStrategy, unlock };
    }
    const record: JobRecord = {
      formatVersion: 1,
      name: opts.jobName,
      file: opts.file,
      // Chosen once and kept, so a resumed search continues the same sequence.
      seed: opts.spec.search.seed ?? randomInt(0, 2 ** 31 - 1),
      specHash: hash,
      startedAt: Date.now(),
      spec: opts.spec,
    };
    // A leftover events file without job.json (a crash in between) describes nothing we can trust.
    if (existsSync(paths.events)) unlinkSync(paths.events);
    writeJsonAtomically(paths.jobRecord, record);
    const pinStrategy = strategyPinner(paths.jobRecord, record);
    return { paths, record, rebuilt: EMPTY, resumed: false, pinStrategy, unlock };
  } catch (err) {
    unlock();
    throw err;
  }
}

export function readJobRecord(path: string): JobRecord | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  try {
    const record = JSON.parse(text) as JobRecord;
    if (record.formatVersion === 1 && typeof record.seed === "number") return record;
  } catch {
    // Fall through to the error below.
  }
  throw new LocalUsageError(
    `${path} is not a hypertune job record; delete the folder or use another --state-dir`,
  );
}

function strategyPinner(path: string, record: JobRecord): (choice: string) => string {
  return (choice) => {
    if (record.strategy === undefined) {
      record.strategy = choice;
      writeJsonAtomically(path, record);
    }
    return record.strategy;
  };
}

function writeJsonAtomically(path: string, value: unknown): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temporary, path);
}

/** A pid file; a lock left by a runner that died (kill -9) is taken over. */
function lock(dir: string): () => void {
  const path = `${dir}/runner.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: "wx" });
      return () => {
        try {
          unlinkSync(path);
        } catch {
          // Already gone.
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number(readFileSync(path, "utf8").trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new LocalUsageError(
          `another hypertune run (pid ${pid}) is using ${dir}; wait for it, or delete ${path} if it is gone`,
        );
      }
      unlinkSync(path);
    }
  }
  throw new LocalUsageError(`could not lock ${dir}`);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
