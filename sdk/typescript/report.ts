/**
 * Report metrics to hypertune from TypeScript/JavaScript training code:
 *
 *     import { report } from "./report.js";
 *     report(3, { accuracy: 0.91, loss: 0.2 }); // hypertune: step=3 accuracy=0.91 loss=0.2
 *
 * A trial that may be preempted resumes from its checkpoint:
 *
 *     const saved = loadCheckpoint(); // undefined on the first attempt
 *     for (let epoch = (saved?.step ?? 0) + 1; epoch <= epochs; epoch++) {
 *       ...
 *       saveCheckpoint(epoch, Buffer.from(JSON.stringify(state)));
 *       report(epoch, { accuracy });
 *     }
 *
 * Self-contained so it can be copied next to a training script.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";

// Names that read back unchanged from the line format (see src/metrics/format.ts).
const NAME = /^[A-Za-z_][A-Za-z0-9_.\-/]*$/;

/** The canonical metric line; throws RangeError for values hypertune would reject. */
export function formatLine(step: number | undefined, metrics: Record<string, number>): string {
  const parts = ["hypertune:"];
  if (step !== undefined) {
    if (!Number.isSafeInteger(step) || step < 0)
      throw new RangeError(`step must be a non-negative integer, got ${step}`);
    parts.push(`step=${step}`);
  }
  for (const [name, value] of Object.entries(metrics)) {
    if (!NAME.test(name) || name === "step")
      throw new RangeError(`invalid metric name ${JSON.stringify(name)}`);
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new RangeError(`metric ${name} is not a finite number: ${String(value)}`);
    }
    parts.push(`${name}=${value}`); // String(number) reads back as the same double
  }
  return parts.join(" ");
}

/** Prints the metric line. Node writes stdout synchronously to files and pipes, so nothing waits in a buffer. */
export function report(step: number | undefined, metrics: Record<string, number>): void {
  process.stdout.write(`${formatLine(step, metrics)}\n`);
}

/** Which run of this trial this is: 1, then one more after each preemption. */
export function attempt(): number {
  return Number(process.env.HYPERTUNE_ATTEMPT ?? 1);
}

/** The trial's checkpoint directory, the same for every attempt; undefined where there is none. */
export function checkpointDir(): string | undefined {
  return process.env.HYPERTUNE_CHECKPOINT_DIR || undefined;
}

const CHECKPOINT = "hypertune-checkpoint";

/** Saves `data` as the checkpoint at `step`, atomically: a preemption mid-write leaves the last one whole. */
export function saveCheckpoint(step: number, data: Uint8Array): boolean {
  const dir = checkpointDir();
  if (dir === undefined) return false;
  mkdirSync(dir, { recursive: true });
  const path = join(dir, CHECKPOINT);
  const temporary = `${path}.${process.pid}.tmp`;
  const header = Buffer.alloc(8);
  header.writeBigUInt64BE(BigInt(step));
  const fd = openSync(temporary, "w");
  try {
    writeSync(fd, header);
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  return true;
}

/** The last checkpoint an earlier attempt saved, or undefined: start from scratch. */
export function loadCheckpoint(): { step: number; data: Buffer } | undefined {
  const dir = checkpointDir();
  if (dir === undefined) return undefined;
  let content: Buffer;
  try {
    content = readFileSync(join(dir, CHECKPOINT));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  return { step: Number(content.readBigUInt64BE(0)), data: content.subarray(8) };
}
