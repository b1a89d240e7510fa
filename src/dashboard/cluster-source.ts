/**
 * Jobs of a cluster, read through the API with the user's own credentials:
 * informers on TuningJobs and Trials (in the namespaces given, or cluster-wide
 * when the credentials allow it, else the kubeconfig context's namespace),
 * and trial logs through `pods/log`. What RBAC hides stays hidden: nothing
 * here escalates or falls back to another identity.
 */
import { CoreV1Api, CustomObjectsApi, type KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import type { Logger } from "pino";
import {
  API_GROUP,
  API_VERSION,
  findPrimaryContainer,
  parseTuningJobSpec,
  type TuningJobSpec,
} from "../api/index.js";
import { contextNamespace, type Informer, statusCodeOf } from "../kube/index.js";
import type { StoredTrial, StoredTuningJob } from "../operator/deps.js";
import { hypertuneInformer } from "../operator/informers.js";
import { JOB_LABEL, TRIAL_LABEL, trialName } from "../operator/labels.js";
import { observeTrial } from "../operator/trial-observation.js";
import { mergeInformers } from "../operator/watch-namespaces.js";
import { type JobSource, LOG_TAIL_BYTES } from "./source.js";
import type { SourceJob } from "./view.js";

type Job = StoredTuningJob & KubernetesObject;
type TrialObject = StoredTrial & KubernetesObject;

export interface ClusterSourceOptions {
  kc: KubeConfig;
  /** Namespaces to read; undefined: every namespace if allowed, else the context's. */
  namespaces?: string[];
  log: Logger;
}

export interface ClusterJobSource extends JobSource {
  /** The namespaces read, or undefined for all of them. */
  namespaces: string[] | undefined;
}

export async function startClusterSource(opts: ClusterSourceOptions): Promise<ClusterJobSource> {
  const { kc, log } = opts;
  let namespaces = opts.namespaces;
  if (namespaces === undefined) {
    try {
      await probe(kc, undefined);
    } catch (err) {
      if (statusCodeOf(err) !== 403) throw err;
      // Not allowed cluster-wide: read what the context's namespace shows, as kubectl would.
      namespaces = [contextNamespace(kc)];
      log.info({ namespaces }, "cannot list TuningJobs in every namespace; reading the context's namespace");
    }
  }
  // The informers retry forever; a namespace the credentials cannot read is an error now, not a hang.
  for (const ns of namespaces ?? []) await probe(kc, ns);
  const informers = informersFor(kc, namespaces, log);
  await Promise.all([informers.jobs.start(), informers.trials.start()]);
  const { jobs, trials } = informers;
  const core = kc.makeApiClient(CoreV1Api);
  const specs = new WeakMap<object, TuningJobSpec | undefined>();
  const specOf = (job: Job): TuningJobSpec | undefined => {
    if (!specs.has(job)) {
      const parsed = parseTuningJobSpec(job.spec);
      specs.set(job, parsed.ok ? parsed.value : undefined);
    }
    return specs.get(job);
  };
  const toSource = (job: Job): SourceJob | undefined => {
    const spec = specOf(job);
    const namespace = job.metadata?.namespace ?? "default";
    const name = job.metadata?.name ?? "";
    if (!spec) return undefined;
    const status = job.status ?? {};
    const ready = status.conditions?.find((c) => c.type === "Ready");
    return {
      id: `${namespace}/${name}`,
      source: "cluster",
      namespace,
      name,
      spec,
      phase: status.phase ?? "Pending",
      reason: ready?.reason ?? null,
      message: ready?.message ?? null,
      strategy: status.strategy ?? spec.search.strategy,
      createdAt: Date.parse(String(job.metadata?.creationTimestamp ?? "")) || 0,
      trials: trials.byLabel(JOB_LABEL, name, namespace).map((t) => ({
        ...observeTrial(t),
        ...(t.status?.reason !== undefined && { reason: t.status.reason }),
        ...(t.status?.message !== undefined && { message: t.status.message }),
      })),
    };
  };
  const find = (id: string): Job | undefined => {
    const [namespace, name] = id.split("/");
    return namespace && name ? jobs.get(namespace, name) : undefined;
  };
  const listeners = new Set<(id: string | null) => void>();
  const emit = (id: string | null) => {
    for (const listener of listeners) listener(id);
  };
  const removers = [
    jobs.onChange((job, kind) => {
      const id = `${job.metadata?.namespace}/${job.metadata?.name}`;
      emit(kind === "add" || kind === "delete" ? null : id);
    }),
    trials.onChange((trial) => {
      const owner = trial.metadata?.labels?.[JOB_LABEL];
      if (owner) emit(`${trial.metadata?.namespace}/${owner}`);
    }),
  ];
  return {
    namespaces,
    ids: async () => jobs.list().map((job) => `${job.metadata?.namespace}/${job.metadata?.name}`),
    job: async (id) => {
      const job = find(id);
      return job ? toSource(job) : undefined;
    },
    async trialLog(id, index) {
      const job = find(id);
      const spec = job && specOf(job);
      if (!job || !spec || !Number.isInteger(index)) return undefined;
      const namespace = job.metadata?.namespace ?? "default";
      const pods = await core.listNamespacedPod({
        namespace,
        labelSelector: `${TRIAL_LABEL}=${trialName(job.metadata?.name ?? "", index)}`,
      });
      const newest = pods.items.sort(
        (a, b) =>
          Date.parse(String(b.metadata?.creationTimestamp)) -
          Date.parse(String(a.metadata?.creationTimestamp)),
      )[0];
      if (!newest?.metadata?.name) return undefined;
      const primary = findPrimaryContainer(spec.trialTemplate.job, spec.trialTemplate.primaryContainer);
      try {
        return await core.readNamespacedPodLog({
          namespace,
          name: newest.metadata.name,
          ...("container" in primary && { container: primary.container.name }),
          limitBytes: LOG_TAIL_BYTES,
        });
      } catch (err) {
        if (statusCodeOf(err) === 400) return undefined; // the container has not started yet
        throw err;
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      for (const remove of removers) remove();
      listeners.clear();
      jobs.stop();
      trials.stop();
    },
  };
}

/** One small list of each kind, to learn up front whether these credentials may read them. */
async function probe(kc: KubeConfig, namespace: string | undefined): Promise<void> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  for (const plural of ["tuningjobs", "trials"]) {
    try {
      if (namespace)
        await custom.listNamespacedCustomObject({
          group: API_GROUP,
          version: API_VERSION,
          namespace,
          plural,
          limit: 1,
        });
      else await custom.listClusterCustomObject({ group: API_GROUP, version: API_VERSION, plural, limit: 1 });
    } catch (err) {
      if (statusCodeOf(err) !== 403) throw err;
      const where = namespace ? `in namespace ${namespace}` : "in every namespace";
      throw Object.assign(new Error(`these credentials may not list ${plural} ${where}`), { code: 403 });
    }
  }
}

function informersFor(
  kc: KubeConfig,
  namespaces: string[] | undefined,
  log: Logger,
): { jobs: Informer<Job>; trials: Informer<TrialObject> } {
  const scopes = namespaces ?? [undefined];
  const merged = <T extends KubernetesObject>(make: (ns: string | undefined) => Informer<T>): Informer<T> =>
    scopes.length === 1 ? make(scopes[0]) : mergeInformers(new Map(scopes.map((ns) => [ns ?? "", make(ns)])));
  return {
    jobs: merged((ns) => hypertuneInformer<Job>(kc, ns, "tuningjobs", log)),
    trials: merged((ns) => hypertuneInformer<TrialObject>(kc, ns, "trials", log, [JOB_LABEL])),
  };
}
