// Container logs in the CRI format the kubelet keeps under /var/log/pods:
// `<RFC3339Nano time> <stdout|stderr> <F|P> <content>` per line, P marking a
// partial line. Keeping the time and stream of every line is what lets the log
// server honour `timestamps`, `sinceSeconds` and `stream` afterwards.
import { EventEmitter } from "node:events";
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";

export type LogStream = "stdout" | "stderr";

export interface LogRecord {
  /** RFC 3339 with nanoseconds, as the kubelet prints it with `timestamps=true`. */
  time: string;
  stream: LogStream;
  /** A partial record carries no newline: the line continues in the next record. */
  partial: boolean;
  content: Buffer;
}

// Lines longer than this are cut into partial records, as the CRI runtimes do (16 KiB).
const MAX_RECORD = 16 * 1024;
const NEWLINE = 0x0a;

function nanoTime(): string {
  return new Date().toISOString().replace(/\.(\d{3})Z$/, ".$1000000Z");
}

/**
 * Appends one container instance's stdout and stderr to its log file. Writes
 * are synchronous so a reader that reads the file and then subscribes to
 * `record` in the same tick misses nothing. Emits `record` and, once, `close`.
 */
export class ContainerLogWriter extends EventEmitter {
  private fd: number | undefined;
  private readonly pending: Record<LogStream, Buffer> = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };

  constructor(readonly path: string) {
    super();
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, "a");
  }

  get closed(): boolean {
    return this.fd === undefined;
  }

  write(stream: LogStream, chunk: Buffer): void {
    if (this.fd === undefined) return;
    let data = Buffer.concat([this.pending[stream], chunk]);
    for (let nl = data.indexOf(NEWLINE); nl !== -1; nl = data.indexOf(NEWLINE)) {
      this.append(stream, false, data.subarray(0, nl));
      data = data.subarray(nl + 1);
    }
    while (data.length > MAX_RECORD) {
      this.append(stream, true, data.subarray(0, MAX_RECORD));
      data = data.subarray(MAX_RECORD);
    }
    this.pending[stream] = Buffer.from(data);
  }

  /** Flushes unterminated lines as partial records and ends the log. */
  close(): void {
    if (this.fd === undefined) return;
    for (const stream of ["stdout", "stderr"] as const) {
      if (this.pending[stream].length > 0) this.append(stream, true, this.pending[stream]);
      this.pending[stream] = Buffer.alloc(0);
    }
    closeSync(this.fd);
    this.fd = undefined;
    this.emit("close");
  }

  private append(stream: LogStream, partial: boolean, content: Buffer): void {
    if (this.fd === undefined) return;
    const record: LogRecord = { time: nanoTime(), stream, partial, content: Buffer.from(content) };
    writeSync(
      this.fd,
      Buffer.concat([
        Buffer.from(`${record.time} ${stream} ${partial ? "P" : "F"} `),
        content,
        Buffer.from("\n"),
      ]),
    );
    this.emit("record", record);
  }
}

/** Reads a CRI log file; a missing file reads as empty. */
export function readLogRecords(path: string): LogRecord[] {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch {
    return [];
  }
  const records: LogRecord[] = [];
  let start = 0;
  while (start < data.length) {
    let end = data.indexOf(NEWLINE, start);
    if (end === -1) end = data.length;
    const line = data.subarray(start, end);
    start = end + 1;
    const s1 = line.indexOf(0x20);
    const s2 = line.indexOf(0x20, s1 + 1);
    const s3 = line.indexOf(0x20, s2 + 1);
    if (s1 < 0 || s2 < 0 || s3 < 0) continue;
    const stream = line.subarray(s1 + 1, s2).toString();
    if (stream !== "stdout" && stream !== "stderr") continue;
    records.push({
      time: line.subarray(0, s1).toString(),
      stream,
      partial: line.subarray(s2 + 1, s3).toString() === "P",
      content: Buffer.from(line.subarray(s3 + 1)),
    });
  }
  return records;
}

/** The last `maxBytes` of a log as plain text, for FallbackToLogsOnError. */
export function logTail(path: string, maxLines: number, maxBytes: number): string {
  const records = readLogRecords(path);
  const lines: string[] = [];
  let current = "";
  for (const r of records) {
    current += r.content.toString();
    if (!r.partial) {
      lines.push(current);
      current = "";
    }
  }
  if (current) lines.push(current);
  const text = lines.slice(-maxLines).join("\n");
  return text.length > maxBytes ? text.slice(text.length - maxBytes) : text;
}
