/**
 * Fakes of the operator's narrow cluster interfaces (src/operator/deps.ts),
 * for unit tests of both reconcilers: caches a test fills, and writes and
 * Events that are recorded. Writes can also be reflected into the caches, as
 * the informers would show them a moment later.
 */
import type { V1Job, V1Pod } from "@kubernetes/client-node";
import type { Trial, TrialStatus, TuningJobStatus } from "../../src/api/index.js";
import type {
  Caches,
  ClusterWrites,
  EventSink,
  ObjectCache,
  StoredTrial,
  StoredTuningJob,
} from "../../src/operator/deps.js";
import type { Requester } from "../../src/operator/requester.js";

interface Named {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
}

export interface FakeCache<T> extends ObjectCache<T> {
  list(): T[];
  /** Adds or replaces an object, as a watch event would. */
  put(object: T): void;
  remove(namespace: string, name: string): void;
}

const keyOf = (namespace: string | undefined, name: string | undefined) => `${namespace ?? ""}/${name ?? ""}`;

/** A cache that, like an informer's, hands out the stored objects themselves. */
export function fakeCache<T extends Named>(objects: T[] = []): FakeCache<T> {
  const stored = new Map<string, T>();
  const cache: FakeCache<T> = {
    get: (namespace, name) => stored.get(keyOf(namespace, name)),
    list: () => [...stored.values()],
    byLabel: (label, value, namespace) =>
      [...stored.values()].filter(
        (o) =>
          o.metadata?.labels?.[label] === value &&
          (namespace === undefined || (o.metadata?.namespace ?? "") === namespace),
      ),
    put: (object) => {
      stored.set(keyOf(object.metadata?.namespace, object.metadata?.name), object);
    },
    remove: (namespace, name) => {
      stored.delete(keyOf(namespace, name));
    },
  };
  for (const object of objects) cache.put(object);
  return cache;
}

export interface FakeCaches extends Caches {
  tuningJobs: FakeCache<StoredTuningJob>;
  trials: FakeCache<StoredTrial>;
  jobs: FakeCache<V1Job>;
  pods: FakeCache<V1Pod>;
}

export function fakeCaches(
  initial: { tuningJobs?: StoredTuningJob[]; trials?: StoredTrial[]; jobs?: V1Job[]; pods?: V1Pod[] } = {},
): FakeCaches {
  return {
    tuningJobs: fakeCache(initial.tuningJobs),
    trials: fakeCache(initial.trials),
    jobs: fakeCache(initial.jobs),
    pods: fakeCache(initial.pods),
  };
}

export type WriteCall =
  | { kind: "createTrial"; namespace: string; trial: Trial }
  | { kind: "patchTrialSpec"; namespace: string; name: string; patch: Partial<Trial["spec"]> }
  | { kind: "patchTrialStatus"; namespace: string; name: string; status: TrialStatus }
  | { kind: "deleteTrial"; namespace: string; name: string }
  | { kind: "patchTuningJobStatus"; namespace: string; name: string; status: TuningJobStatus }
  | { kind: "createJob"; namespace: string; job: V1Job; as?: Requester }
  | { kind: "deleteJob"; namespace: string; name: string };
export type WriteKind = WriteCall["kind"];

export interface RecordingWrites extends ClusterWrites {
  /** Every write, in order, failed ones included. */
  calls: WriteCall[];
  /** The writes of one kind. */
  of<K extends WriteKind>(kind: K): Extract<WriteCall, { kind: K }>[];
  /** Makes the next write of `kind` throw `error` (e.g. an ApiException with 409 or 422). */
  failNext(kind: WriteKind, error: unknown): void;
  /** Forgets the recorded calls, e.g. between two reconciles. */
  clear(): void;
}

/** RFC 7386 merge patch, as the API server applies a spec or status patch. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> =
    typeof target === "object" && target !== null && !Array.isArray(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else if (value !== undefined) result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

/**
 * ClusterWrites that record each call. With `reflectInto`, each successful
 * write also lands in those caches at once (an informer that never lags);
 * without it the caches stay as the test filled them.
 */
export function recordingWrites(options: { reflectInto?: FakeCaches } = {}): RecordingWrites {
  const caches = options.reflectInto;
  const calls: WriteCall[] = [];
  const failures = new Map<WriteKind, unknown[]>();
  const clone = <T>(value: T): T => structuredClone(value);

  function record(call: WriteCall): void {
    calls.push(call);
    const queued = failures.get(call.kind);
    if (queued && queued.length > 0) throw queued.shift();
  }

  function patchStored<T extends { status?: unknown; spec?: unknown }>(
    cache: FakeCache<T> | undefined,
    namespace: string,
    name: string,
    field: "spec" | "status",
    patch: unknown,
  ): void {
    const current = cache?.get(namespace, name);
    if (!cache || !current) return;
    cache.put({ ...current, [field]: applyMergePatch(current[field], clone(patch)) });
  }

  return {
    calls,
    of: <K extends WriteKind>(kind: K) =>
      calls.filter((c): c is Extract<WriteCall, { kind: K }> => c.kind === kind),
    failNext(kind, error) {
      failures.set(kind, [...(failures.get(kind) ?? []), error]);
    },
    clear() {
      calls.length = 0;
    },
    async createTrial(namespace, trial) {
      record({ kind: "createTrial", namespace, trial: clone(trial) });
      if (caches && !caches.trials.get(namespace, trial.metadata.name)) caches.trials.put(clone(trial));
    },
    async patchTrialSpec(namespace, name, patch) {
      record({ kind: "patchTrialSpec", namespace, name, patch: clone(patch) });
      patchStored(caches?.trials, namespace, name, "spec", patch);
    },
    async patchTrialStatus(namespace, name, status) {
      record({ kind: "patchTrialStatus", namespace, name, status: clone(status) });
      patchStored(caches?.trials, namespace, name, "status", status);
    },
    async deleteTrial(namespace, name) {
      record({ kind: "deleteTrial", namespace, name });
      caches?.trials.remove(namespace, name);
    },
    async patchTuningJobStatus(namespace, name, status) {
      record({ kind: "patchTuningJobStatus", namespace, name, status: clone(status) });
      patchStored(caches?.tuningJobs, namespace, name, "status", status);
    },
    async createJob(namespace, job, as) {
      record({ kind: "createJob", namespace, job: clone(job), ...(as && { as }) });
      if (caches && !caches.jobs.get(namespace, job.metadata?.name ?? "")) caches.jobs.put(clone(job));
    },
    async deleteJob(namespace, name) {
      record({ kind: "deleteJob", namespace, name });
      caches?.jobs.remove(namespace, name);
    },
  };
}

export interface RecordedEvent {
  object: Parameters<EventSink["record"]>[0];
  type: "Normal" | "Warning";
  reason: string;
  message: string;
}

/** An EventSink that keeps what it is given. */
export function recordingEvents(): EventSink & { recorded: RecordedEvent[]; reasons(): string[] } {
  const recorded: RecordedEvent[] = [];
  return {
    recorded,
    reasons: () => recorded.map((e) => e.reason),
    record(object, type, reason, message) {
      recorded.push({ object, type, reason, message });
    },
  };
}
