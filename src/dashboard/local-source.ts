/**
 * Jobs of a local state root (`.hypertune/` by default): each sub-folder with
 * a `job.json` is one job, read with the runner's own readers
 * (`readJobRecord`, `readRebuiltState`). Changes are found by polling file
 * sizes and times: `fs.watch` misses writes on some file systems and the
 * runner appends often, so a cheap stat every half second is the robust choice.
 */
import {
  closeSync,
  existsSync,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
} from "node:fs";
import { join } from "node:path";
import type { TuningJobSpec } from "../api/index.js";
import { rotatedLogPath } from "../local/boundedLog.js";
import { readJobFile } from "../local/jobFile.js";
import { isAlive, readJobRecord } from "../local/jobState.js";
import { readRebuiltState } from "../local/rebuildTrials.js";
import { statePaths, trialLogPath } from "../local/stateDir.js";
import type { JobRecord } from "../local/types.js";
import { type JobSource, LOG_TAIL_BYTES } from "./source.js";
import type { SourceJob } from "./view.js";

const POLL_MS = 500;

export class LocalJobSource implements JobSource {
  private readonly listeners = new Set<(id: string | null) => void>();
  private readonly stamps = new Map<string, string>();
  private readonly specs = new Map<string, TuningJobSpec>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly root: string) {}

  async ids(): Promise<string[]> {
    return this.names();
  }

  async job(name: string): Promise<SourceJob | undefined> {
    if (!this.names().includes(name)) return undefined;
    const paths = statePaths(this.root, name);
    const record = readJobRecord(paths.jobRecord);
    if (!record) return undefined;
    const spec = await this.specOf(name, record);
    const rebuilt = readRebuiltState(paths.events);
    const running = runnerAlive(paths.dir);
    const ended = running ? undefined : rebuilt.endedStatus;
    const unfinished = rebuilt.unfinished.map((t) => (running ? t : { ...t, interrupted: true }));
    return {
      id: name,
      source: "local",
      namespace: null,
      name,
      spec,
      phase: running ? "Running" : (ended ?? "Interrupted"),
      reason: null,
      message:
        running || ended ? null : "the runner stopped without ending (killed?); continue with --resume",
      strategy: record.strategy ?? spec.search.strategy,
      createdAt: record.startedAt,
      trials: [...rebuilt.finished, ...unfinished],
    };
  }

  async trialLog(name: string, index: number): Promise<string | undefined> {
    if (!this.names().includes(name) || !Number.isInteger(index) || index < 0) return undefined;
    return readTail(trialLogPath(statePaths(this.root, name), index), LOG_TAIL_BYTES);
  }

  subscribe(listener: (id: string | null) => void): () => void {
    this.listeners.add(listener);
    if (!this.timer) {
      this.poll();
      this.timer = setInterval(() => this.poll(), POLL_MS);
      this.timer.unref();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopPolling();
    };
  }

  close(): void {
    this.listeners.clear();
    this.stopPolling();
  }

  private stopPolling(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private names(): string[] {
    let entries: string[];
    try {
      entries = readdirSync(this.root);
    } catch {
      return [];
    }
    return entries.filter((n) => existsSync(join(this.root, n, "job.json"))).sort();
  }

  private async specOf(name: string, record: JobRecord): Promise<TuningJobSpec> {
    if (record.spec) return record.spec;
    const known = this.specs.get(name);
    if (known) return known;
    // Folders written before job.json kept the spec: read the YAML it ran.
    const read = await readJobFile(record.file);
    const job = read.ok ? read.jobs.find((j) => j.metadata.name === name) : undefined;
    if (!job)
      throw new Error(`${name}: job.json has no spec and ${record.file} no longer holds job "${name}"`);
    this.specs.set(name, job.spec);
    return job.spec;
  }

  private poll(): void {
    const names = this.names();
    let listChanged = names.length !== this.stamps.size;
    for (const name of names) {
      const stamp = stampOf(statePaths(this.root, name).dir);
      const before = this.stamps.get(name);
      this.stamps.set(name, stamp);
      if (before === undefined) listChanged = true;
      else if (before !== stamp) this.emit(name);
    }
    for (const name of [...this.stamps.keys()]) if (!names.includes(name)) this.stamps.delete(name);
    if (listChanged) this.emit(null);
  }

  private emit(id: string | null): void {
    for (const listener of this.listeners) listener(id);
  }
}

/** Size and time of the files a runner writes, and whether it runs: any change means "reload". */
function stampOf(dir: string): string {
  const parts = ["job.json", "trials.jsonl", "runner.lock"].map((f) => {
    try {
      const s = statSync(join(dir, f));
      return `${s.size}:${s.mtimeMs}`;
    } catch {
      return "-";
    }
  });
  return parts.join("|");
}

function runnerAlive(dir: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dir, "runner.lock"), "utf8").trim());
  } catch {
    return false;
  }
  return Number.isInteger(pid) && pid > 0 && isAlive(pid);
}

/** The last `bytes` of a trial's log, reaching into its rotated older half (boundedLog.ts) when the newest is short. */
function readTail(path: string, bytes: number): string | undefined {
  const newest = readEnd(path, bytes);
  if (newest === undefined) return undefined;
  const older = newest.size < bytes ? readEnd(rotatedLogPath(path), bytes - newest.size) : undefined;
  const total = newest.size + (older?.size ?? 0);
  const buffer = older ? Buffer.concat([older.tail, newest.tail]) : newest.tail;
  const text = buffer.toString("utf8");
  const leftOut = total - buffer.length;
  return leftOut > 0 ? `… (first ${leftOut} bytes left out)\n${text.slice(text.indexOf("\n") + 1)}` : text;
}

function readEnd(path: string, bytes: number): { tail: Buffer; size: number } | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(0, size - bytes);
    const tail = Buffer.alloc(size - start);
    readSync(fd, tail, 0, tail.length, start);
    return { tail, size };
  } finally {
    closeSync(fd);
  }
}
