/**
 * TuningJobs, Trials and Events as `get` and `describe` read them from the
 * API server. Only the fields they show, all optional: the objects may have
 * been written by another operator version, or be Invalid.
 */
import type { TrialStatus, TuningJobStatus } from "../../api/index.js";

export interface StoredMetadata {
  name: string;
  namespace?: string;
  uid?: string;
  creationTimestamp?: string;
}

export interface StoredTuningJob {
  metadata: StoredMetadata;
  spec?: {
    objective?: {
      metric?: string;
      direction?: "Minimize" | "Maximize";
      metrics?: { name: string; direction: "Minimize" | "Maximize" }[];
    };
    search?: { strategy?: string };
    limits?: { maxTrials?: number };
  };
  status?: TuningJobStatus;
}

export interface StoredTrial {
  metadata: StoredMetadata;
  spec?: { index?: number; parameters?: Record<string, string | number | boolean> };
  status?: TrialStatus;
}

/** A core/v1 Event, times as RFC 3339 text or Date (the typed client turns them into Dates). */
export interface StoredEvent {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: Date | string;
  lastTimestamp?: Date | string;
  eventTime?: Date | string;
  metadata?: { creationTimestamp?: Date | string; resourceVersion?: string };
  source?: { component?: string };
  reportingComponent?: string;
}

/** Milliseconds since the epoch of an API time, or undefined. */
export function timeOf(value: Date | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
