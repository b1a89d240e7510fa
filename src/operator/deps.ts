/**
 * What the controllers need from the cluster, as narrow interfaces: reads
 * come from informer caches, writes go through these few calls. The manager
 * wires them to the API server; keeping them narrow keeps the reconcilers
 * readable and their cluster traffic obvious.
 */
import type { V1Job, V1Pod } from "@kubernetes/client-node";
import type { Trial, TrialStatus, TuningJob, TuningJobStatus } from "../api/index.js";
import type { Requester } from "./requester.js";

export interface ObjectCache<T> {
  get(namespace: string, name: string): T | undefined;
  byLabel(label: string, value: string, namespace?: string): T[];
}

export interface EventSink {
  record(
    object: {
      apiVersion?: string;
      kind?: string;
      metadata?: { name?: string; namespace?: string; uid?: string };
    },
    type: "Normal" | "Warning",
    reason: string,
    message: string,
  ): void;
}

/** A Trial or TuningJob as stored: typed where the operator reads it, anything else kept. */
export interface StoredTuningJob {
  apiVersion: string;
  kind: string;
  metadata: TuningJob["metadata"] & { creationTimestamp?: string | Date };
  spec: unknown;
  status?: TuningJobStatus;
}
export type StoredTrial = Trial;

export interface ClusterWrites {
  /** Creates a Trial; an existing one of the same name is left as it is. */
  createTrial(namespace: string, trial: Trial): Promise<void>;
  patchTrialSpec(namespace: string, name: string, patch: Partial<Trial["spec"]>): Promise<void>;
  /** With `resourceVersion`, only if the Trial is still at that version (else 409 Conflict, and a retry). */
  patchTrialStatus(
    namespace: string,
    name: string,
    status: TrialStatus,
    resourceVersion?: string,
  ): Promise<void>;
  /** Deletes a Trial (spec.trialRetention) with background propagation; its Job and pods follow. */
  deleteTrial(namespace: string, name: string): Promise<void>;
  patchTuningJobStatus(namespace: string, name: string, status: TuningJobStatus): Promise<void>;
  /**
   * Creates a Job; an existing one of the same name is left as it is. With
   * `as`, the Job is created impersonating that requester (the operator's
   * --impersonate-requester mode).
   */
  createJob(namespace: string, job: V1Job, as?: Requester): Promise<void>;
  /** Deletes a Job with background propagation, so the garbage collector removes its pods. */
  deleteJob(namespace: string, name: string): Promise<void>;
}

export interface Caches {
  tuningJobs: ObjectCache<StoredTuningJob>;
  trials: ObjectCache<StoredTrial>;
  jobs: ObjectCache<V1Job>;
  pods: ObjectCache<V1Pod>;
}
