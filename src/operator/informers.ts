/** The four informers the operator reads from: TuningJobs, Trials, and the Jobs and pods of trials. */

import type { KubernetesListObject, KubernetesObject } from "@kubernetes/client-node";
import {
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type V1Job,
  type V1Pod,
} from "@kubernetes/client-node";
import type { Logger } from "pino";
import { API_GROUP, API_VERSION } from "../api/index.js";
import { createInformer, type Informer, type ListPage } from "../kube/index.js";
import { trimJob, trimPod, withoutManagedFields } from "./cache-trim.js";
import type { StoredTrial, StoredTuningJob } from "./deps.js";
import { JOB_LABEL, TRIAL_LABEL } from "./labels.js";
import { mergeInformers, parseWatchNamespaces } from "./watch-namespaces.js";

export interface OperatorInformers {
  tuningJobs: Informer<StoredTuningJob & KubernetesObject>;
  trials: Informer<StoredTrial & KubernetesObject>;
  jobs: Informer<V1Job>;
  pods: Informer<V1Pod>;
}

/**
 * `namespace` is undefined (every namespace), one namespace, or a comma list:
 * then each namespace gets its own informers, merged, so that Roles in those
 * namespaces are all the RBAC the operator needs.
 */
export function createOperatorInformers(
  kc: KubeConfig,
  namespace: string | undefined,
  log: Logger,
): OperatorInformers {
  const namespaces = parseWatchNamespaces(namespace);
  if (!namespaces || namespaces.length === 1) return informersFor(kc, namespaces?.[0], log);
  const sets = new Map(namespaces.map((ns) => [ns, informersFor(kc, ns, log.child({ namespace: ns }))]));
  const merged = <T extends KubernetesObject>(kind: (set: OperatorInformers) => Informer<T>) =>
    mergeInformers(new Map([...sets].map(([ns, set]) => [ns, kind(set)])));
  return {
    tuningJobs: merged((s) => s.tuningJobs),
    trials: merged((s) => s.trials),
    jobs: merged((s) => s.jobs),
    pods: merged((s) => s.pods),
  };
}

/** An informer over TuningJobs or Trials in one namespace (or all); the dashboard uses it too. */
export function hypertuneInformer<T extends KubernetesObject>(
  kc: KubeConfig,
  namespace: string | undefined,
  plural: "tuningjobs" | "trials",
  log: Logger,
  indexLabels: string[] = [],
  pageSize?: number,
): Informer<T> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const list = async (page: ListPage) =>
    (namespace
      ? await custom.listNamespacedCustomObject({
          group: API_GROUP,
          version: API_VERSION,
          namespace,
          plural,
          ...page,
        })
      : await custom.listClusterCustomObject({
          group: API_GROUP,
          version: API_VERSION,
          plural,
          ...page,
        })) as KubernetesListObject<T>;
  return createInformer<T>({
    name: plural,
    kc,
    path: `/apis/${API_GROUP}/${API_VERSION}${namespace ? `/namespaces/${namespace}` : ""}/${plural}`,
    list,
    transform: withoutManagedFields,
    indexLabels,
    ...(pageSize && { pageSize }),
    log,
  });
}

function informersFor(kc: KubeConfig, namespace: string | undefined, log: Logger): OperatorInformers {
  const batch = kc.makeApiClient(BatchV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const scope = namespace ? `/namespaces/${namespace}` : "";
  // Only objects that belong to trials: the operator never caches a cluster's other Jobs and pods.
  const ours = TRIAL_LABEL;
  return {
    tuningJobs: hypertuneInformer<StoredTuningJob & KubernetesObject>(kc, namespace, "tuningjobs", log),
    trials: hypertuneInformer<StoredTrial & KubernetesObject>(kc, namespace, "trials", log, [JOB_LABEL]),
    jobs: createInformer<V1Job>({
      name: "jobs",
      kc,
      path: `/apis/batch/v1${scope}/jobs`,
      labelSelector: ours,
      list: (page) =>
        namespace ? batch.listNamespacedJob({ namespace, ...page }) : batch.listJobForAllNamespaces(page),
      indexLabels: [TRIAL_LABEL],
      transform: trimJob,
      log,
    }),
    pods: createInformer<V1Pod>({
      name: "pods",
      kc,
      path: `/api/v1${scope}/pods`,
      labelSelector: ours,
      list: (page) =>
        namespace ? core.listNamespacedPod({ namespace, ...page }) : core.listPodForAllNamespaces(page),
      indexLabels: [TRIAL_LABEL],
      transform: trimPod,
      log,
    }),
  };
}
