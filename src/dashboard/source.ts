/**
 * Where the dashboard reads jobs from: a local state folder or a cluster.
 * Both hand over the same `SourceJob`, so the page is built one way. Sources
 * only read; the dashboard has no path that writes.
 */
import type { SourceJob } from "./view.js";

export interface JobSource {
  /** The ids of every job this source can see, in no particular order; cheap (no job is read). */
  ids(): Promise<string[]>;
  job(id: string): Promise<SourceJob | undefined>;
  /** The end of a trial's output, or undefined when there is none (yet). */
  trialLog(id: string, index: number): Promise<string | undefined>;
  /** Called with the id of a job that changed, or null when jobs appeared or went. Returns an unsubscribe. */
  subscribe(listener: (id: string | null) => void): () => void;
  close(): void;
}

/** The most of a trial's log the dashboard returns: its end, where the error usually is. */
export const LOG_TAIL_BYTES = 256 * 1024;
