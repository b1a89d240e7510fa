/** In-memory stand-ins for the TuningJob reconciler's caches, writes and events (see src/operator/deps.ts). */
import type { V1Job, V1Pod } from "@kubernetes/client-node";
import { pino } from "pino";
import type { Trial, TuningJobStatus } from "../../../src/api/index.js";
import type {
  Caches,
  ClusterWrites,
  EventSink,
  ObjectCache,
  StoredTuningJob,
} from "../../../src/operator/deps.js";

function cache<
  T extends { metadata?: { name?: string; namespace?: string; labels?: Record<string, string> } },
>(items: T[]): ObjectCache<T> {
  return {
    get: (namespace, name) =>
      items.find((i) => i.metadata?.namespace === namespace && i.metadata?.name === name),
    byLabel: (label, value, namespace) =>
      items.filter(
        (i) =>
          i.metadata?.labels?.[label] === value &&
          (namespace === undefined || i.metadata?.namespace === namespace),
      ),
  };
}

export interface FakeCluster {
  caches: Caches;
  writes: ClusterWrites;
  events: EventSink;
  jobs: StoredTuningJob[];
  trials: Trial[];
  recorded: { type: string; reason: string; message: string }[];
  statusPatches: TuningJobStatus[];
}

/** Writes land in the caches at once, as if the informers had seen them. */
export function fakeCluster(jobs: StoredTuningJob[], trials: Trial[] = []): FakeCluster {
  const recorded: FakeCluster["recorded"] = [];
  const statusPatches: TuningJobStatus[] = [];
  const writes: ClusterWrites = {
    async createTrial(_namespace, trial) {
      trials.push(trial);
    },
    async patchTrialSpec() {},
    async patchTrialStatus() {},
    async deleteTrial(namespace, name) {
      const at = trials.findIndex((t) => t.metadata.namespace === namespace && t.metadata.name === name);
      if (at >= 0) trials.splice(at, 1);
    },
    async patchTuningJobStatus(namespace, name, status) {
      statusPatches.push(status);
      const job = jobs.find((j) => j.metadata.namespace === namespace && j.metadata.name === name);
      if (job) job.status = status;
    },
    async createJob() {},
    async deleteJob() {},
  };
  return {
    caches: {
      tuningJobs: cache(jobs),
      trials: cache(trials),
      jobs: cache<V1Job>([]),
      pods: cache<V1Pod>([]),
    },
    writes,
    events: { record: (_object, type, reason, message) => recorded.push({ type, reason, message }) },
    jobs,
    trials,
    recorded,
    statusPatches,
  };
}

export const silentLog = pino({ level: "silent" });
