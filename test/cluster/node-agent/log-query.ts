// The query parameters of the kubelet's /containerLogs endpoint, as the API
// server forwards them from `pods/log`, and how they select and render records.
import type { LogRecord } from "./log-file.js";

export interface LogQuery {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  limitBytes?: number;
  /** Records older than this (RFC 3339) are skipped. */
  since?: string;
  stream?: "stdout" | "stderr";
}

const truthy = (v: string | null): boolean => v === "true" || v === "1";

function nonNegativeInt(params: URLSearchParams, name: string): number | undefined | Error {
  const raw = params.get(name);
  if (raw === null || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) return new Error(`${name} must be a non-negative integer, got ${raw}`);
  return n;
}

export function parseLogQuery(params: URLSearchParams, now: Date = new Date()): LogQuery | Error {
  const query: LogQuery = {
    follow: truthy(params.get("follow")),
    previous: truthy(params.get("previous")),
    timestamps: truthy(params.get("timestamps")),
  };
  const tail = nonNegativeInt(params, "tailLines");
  const limit = nonNegativeInt(params, "limitBytes");
  const sinceSeconds = nonNegativeInt(params, "sinceSeconds");
  for (const v of [tail, limit, sinceSeconds]) if (v instanceof Error) return v;
  if (typeof tail === "number") query.tailLines = tail;
  if (typeof limit === "number") query.limitBytes = limit;
  if (typeof sinceSeconds === "number")
    query.since = new Date(now.getTime() - sinceSeconds * 1000).toISOString();
  const sinceTime = params.get("sinceTime");
  if (sinceTime) {
    const t = new Date(sinceTime);
    if (Number.isNaN(t.getTime())) return new Error(`sinceTime must be RFC 3339, got ${sinceTime}`);
    query.since = t.toISOString();
  }
  const stream = params.get("stream");
  if (stream === "Stdout") query.stream = "stdout";
  else if (stream === "Stderr") query.stream = "stderr";
  else if (stream && stream !== "All")
    return new Error(`stream must be All, Stdout or Stderr, got ${stream}`);
  return query;
}

/** Whether a record passes the stream and since filters (tailLines applies to the backlog only). */
export function recordMatches(record: LogRecord, query: LogQuery): boolean {
  if (query.stream && record.stream !== query.stream) return false;
  // Compare as instants; the stored nanosecond form and ISO milliseconds differ only past the millisecond.
  if (query.since && new Date(record.time).getTime() < new Date(query.since).getTime()) return false;
  return true;
}

/** The backlog to send: filtered, then the last `tailLines` lines (a line may span partial records). */
export function selectBacklog(records: LogRecord[], query: LogQuery): LogRecord[] {
  const matching = records.filter((r) => recordMatches(r, query));
  if (query.tailLines === undefined) return matching;
  if (query.tailLines === 0) return [];
  let lines = 0;
  let i = matching.length;
  while (i > 0) {
    const r = matching[i - 1];
    // A full record ends a line; count it when we step past the start of the previous line.
    if (r && !r.partial) {
      if (lines === query.tailLines) break;
      lines++;
    } else if (i === matching.length) {
      // A trailing partial record is the unfinished last line.
      lines++;
    }
    i--;
  }
  return matching.slice(i);
}

export function renderRecord(record: LogRecord, query: LogQuery): Buffer {
  const parts: Buffer[] = [];
  if (query.timestamps) parts.push(Buffer.from(`${record.time} `));
  parts.push(record.content);
  if (!record.partial) parts.push(Buffer.from("\n"));
  return Buffer.concat(parts);
}
