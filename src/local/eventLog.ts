/**
 * Append-only writer of `trials.jsonl`. Each event is one `write` of one whole
 * line, so a `kill -9` of the runner can never leave half a line behind (the
 * kernel has the bytes once `write` returns). `fdatasync` guards against power
 * loss; it runs off the event loop and coalesces, so a burst of short trials
 * is not serialised behind the disk.
 */
import { closeSync, fdatasync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from "node:fs";
import type { TrialEvent } from "./types.js";

export class TrialEventLog {
  private readonly fd: number;
  private syncing = false;
  private dirty = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(path: string) {
    this.fd = openSync(path, "a+");
    dropPartialLastLine(this.fd);
  }

  append(event: TrialEvent, durable = true): void {
    if (this.closed) return;
    writeSync(this.fd, `${JSON.stringify(event)}\n`);
    if (durable) this.requestSync();
  }

  /** Waits for pending syncs, then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((done) => {
      if (!this.syncing && !this.dirty) done();
      else this.idleWaiters.push(done);
    });
    this.closed = true;
    closeSync(this.fd);
  }

  private requestSync(): void {
    this.dirty = true;
    if (this.syncing) return;
    this.syncing = true;
    this.dirty = false;
    fdatasync(this.fd, () => {
      this.syncing = false;
      if (this.dirty) this.requestSync();
      else for (const done of this.idleWaiters.splice(0)) done();
    });
  }
}

/** A line cut short by a crash mid-write (e.g. a full disk) would glue onto the next event; cut it off. */
function dropPartialLastLine(fd: number): void {
  const size = fstatSync(fd).size;
  if (size === 0) return;
  const tailSize = Math.min(size, 64 * 1024);
  let end = size;
  const buffer = Buffer.alloc(tailSize);
  for (;;) {
    const start = Math.max(0, end - tailSize);
    const length = end - start;
    readSync(fd, buffer, 0, length, start);
    if (end === size && buffer[length - 1] === 0x0a) return;
    const newline = buffer.subarray(0, length).lastIndexOf(0x0a);
    if (newline >= 0) {
      ftruncateSync(fd, start + newline + 1);
      return;
    }
    if (start === 0) {
      ftruncateSync(fd, 0);
      return;
    }
    end = start;
  }
}
