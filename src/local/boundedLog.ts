/**
 * A trial's log file, bounded the way the kubelet bounds container logs
 * (containerLogMaxSize, 10 MiB by default): the newest output is in `N.log`;
 * when that reaches half the bound it becomes `N.log.1`, replacing the older
 * one. The two never hold more than the bound, and the end, where an error
 * usually is, is always kept. Writes are synchronous so that a rotation can
 * never race a write still on its way to the renamed file.
 */
import { closeSync, fstatSync, openSync, renameSync, writeSync } from "node:fs";

export const TRIAL_LOG_MAX_BYTES = 10 * 1024 * 1024;

/** Where a rotated log's older half is. */
export function rotatedLogPath(path: string): string {
  return `${path}.1`;
}

export class BoundedLog {
  private fd: number | undefined;
  private size: number;
  private readonly half: number;

  constructor(
    private readonly path: string,
    maxBytes = TRIAL_LOG_MAX_BYTES,
  ) {
    this.half = Math.max(1, Math.floor(maxBytes / 2));
    this.fd = openSync(path, "a");
    this.size = fstatSync(this.fd).size;
  }

  write(chunk: Buffer | string): void {
    if (this.fd === undefined) return;
    let bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    if (bytes.length > this.half) bytes = bytes.subarray(bytes.length - this.half);
    if (this.size + bytes.length > this.half) this.rotate();
    writeSync(this.fd, bytes);
    this.size += bytes.length;
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  private rotate(): void {
    this.close();
    renameSync(this.path, rotatedLogPath(this.path));
    this.fd = openSync(this.path, "a");
    this.size = 0;
  }
}
