/**
 * `tail -F` for the File collector: waits for the file to appear, reads what
 * is appended, and starts again from the top when the file is truncated in
 * place (its size drops below what was read) or replaced (rotation: the path
 * names a new inode). Polling rather than fs.watch, which misses events on
 * some volume types and needs no care across re-creation. Memory is bounded:
 * reads are fixed-size chunks and a line is held up to `maxLineLength`.
 */
import { type FileHandle, open, stat } from "node:fs/promises";
import { LineSplitter } from "../metrics/lineSplitter.js";

export const DEFAULT_TAIL_MAX_LINE = 64 * 1024;
const CHUNK_BYTES = 64 * 1024;

export interface TailOptions {
  path: string;
  pollMs: number;
  /** Aborting stops the tail after reading what the file holds by then; the last partial line is passed on too. */
  signal: AbortSignal;
  /** Awaited, so a slow reader slows the tail down instead of lines piling up in memory. */
  onLines: (lines: TailLine[]) => Promise<void> | void;
  maxLineLength?: number;
  /** Called once if the file is not there at first look. */
  onWaiting?: () => void;
}

export interface TailLine {
  text: string;
  /** The line was longer than the limit; `text` is its cut beginning. */
  truncated: boolean;
}

export async function tailFile(opts: TailOptions): Promise<void> {
  const pending: TailLine[] = [];
  const splitter = new LineSplitter(
    (text, truncated) => pending.push({ text, truncated }),
    opts.maxLineLength ?? DEFAULT_TAIL_MAX_LINE,
  );
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  const deliver = async () => {
    if (pending.length === 0) return;
    const lines = pending.splice(0);
    await opts.onLines(lines);
  };
  let file: { handle: FileHandle; ino: number; position: number } | undefined;
  let waited = false;

  /** Reads to the current end of the file. */
  const drain = async () => {
    if (!file) return;
    for (;;) {
      const { bytesRead } = await file.handle.read(buffer, 0, CHUNK_BYTES, file.position);
      if (bytesRead === 0) return;
      file.position += bytesRead;
      splitter.push(buffer.subarray(0, bytesRead));
      await deliver();
    }
  };
  const finishLine = async () => {
    splitter.end();
    await deliver();
  };

  try {
    for (;;) {
      const stopping = opts.signal.aborted;
      if (!file) {
        file = await openIfPresent(opts.path);
        if (!file && !waited) opts.onWaiting?.();
        waited = true;
      }
      if (file) {
        await drain();
        if (stopping) return await finishLine();
        const replaced = await replacedOrTruncated(opts.path, file);
        if (replaced === "truncated") {
          // Whatever was half-written before the truncation is passed on as it was.
          await finishLine();
          file.position = 0;
          continue;
        }
        if (replaced === "replaced") {
          await drain();
          await finishLine();
          await file.handle.close();
          file = undefined;
          continue;
        }
      } else if (stopping) {
        return;
      }
      await sleep(opts.pollMs, opts.signal);
    }
  } finally {
    await file?.handle.close().catch(() => undefined);
  }
}

async function openIfPresent(
  path: string,
): Promise<{ handle: FileHandle; ino: number; position: number } | undefined> {
  try {
    const handle = await open(path, "r");
    return { handle, ino: (await handle.stat()).ino, position: 0 };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

async function replacedOrTruncated(
  path: string,
  file: { handle: FileHandle; ino: number; position: number },
): Promise<"truncated" | "replaced" | undefined> {
  if ((await file.handle.stat()).size < file.position) return "truncated";
  // A missing path (deleted, about to be re-created) keeps the open file: it may still be written.
  const byPath = await stat(path).catch(() => undefined);
  return byPath && byPath.ino !== file.ino ? "replaced" : undefined;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
