/**
 * The reads `get` and `describe` make, each bounded in time and failing with
 * one sentence (CommandFailed). Imported on demand, as it loads the
 * Kubernetes client.
 */
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import { API_GROUP, API_VERSION } from "../../api/index.js";
import { withTimeout } from "../../kube/timeout.js";
import { JOB_LABEL } from "../../operator/labels.js";
import { CommandFailed } from "../command.js";
import { type ApiRead, explainReadError } from "./apiErrors.js";
import type { StoredEvent, StoredTrial, StoredTuningJob } from "./objects.js";

/** client-node's calls have no timeout: a black-holed address would hang the command. */
const REQUEST_TIMEOUT_MS = 30_000;

const TUNING_JOBS = { group: API_GROUP, version: API_VERSION, plural: "tuningjobs" };
const TRIALS = { group: API_GROUP, version: API_VERSION, plural: "trials" };

export interface ClusterReads {
  tuningJob(namespace: string, name: string): Promise<StoredTuningJob>;
  /** Every TuningJob in the namespace, or in all of them when it is undefined; sorted by namespace and name. */
  tuningJobs(namespace: string | undefined): Promise<StoredTuningJob[]>;
  /** The job's Trials (labelled hypertune.dev/job=NAME), by index. */
  trials(namespace: string, job: string): Promise<StoredTrial[]>;
  /** core/v1 Events whose involvedObject is this TuningJob. */
  events(job: StoredTuningJob): Promise<StoredEvent[]>;
}

export function clusterReads(kc: KubeConfig): ClusterReads {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const core = kc.makeApiClient(CoreV1Api);
  const api = { server: kc.getCurrentCluster()?.server ?? "(no server)", context: kc.getCurrentContext() };
  async function read<T>(what: ApiRead, call: () => Promise<unknown>): Promise<T> {
    try {
      return (await withTimeout(call(), REQUEST_TIMEOUT_MS, `the API server at ${api.server}`)) as T;
    } catch (err) {
      throw new CommandFailed(explainReadError(err, what, api));
    }
  }
  const byName = (a: StoredTuningJob, b: StoredTuningJob) =>
    (a.metadata.namespace ?? "").localeCompare(b.metadata.namespace ?? "") ||
    a.metadata.name.localeCompare(b.metadata.name);
  return {
    tuningJob: (namespace, name) =>
      read({ verb: "get", resource: "tuningjobs.hypertune.dev", namespace, name, kind: "TuningJob" }, () =>
        custom.getNamespacedCustomObject({ ...TUNING_JOBS, namespace, name }),
      ),
    async tuningJobs(namespace) {
      const list = await read<{ items: StoredTuningJob[] }>(
        { verb: "list", resource: "tuningjobs.hypertune.dev", ...(namespace !== undefined && { namespace }) },
        () =>
          namespace === undefined
            ? custom.listClusterCustomObject(TUNING_JOBS)
            : custom.listNamespacedCustomObject({ ...TUNING_JOBS, namespace }),
      );
      return [...list.items].sort(byName);
    },
    async trials(namespace, job) {
      const list = await read<{ items: StoredTrial[] }>(
        { verb: "list", resource: "trials.hypertune.dev", namespace },
        () =>
          custom.listNamespacedCustomObject({ ...TRIALS, namespace, labelSelector: `${JOB_LABEL}=${job}` }),
      );
      return [...list.items].sort((a, b) => (a.spec?.index ?? 0) - (b.spec?.index ?? 0));
    },
    async events(job) {
      const namespace = job.metadata.namespace ?? "default";
      // The selector kubectl describe uses; the uid keeps out events of an earlier job of the same name.
      const fieldSelector = [
        "involvedObject.kind=TuningJob",
        `involvedObject.name=${job.metadata.name}`,
        ...(job.metadata.uid ? [`involvedObject.uid=${job.metadata.uid}`] : []),
      ].join(",");
      const list = await read<{ items: StoredEvent[] }>({ verb: "list", resource: "events", namespace }, () =>
        core.listNamespacedEvent({ namespace, fieldSelector }),
      );
      return list.items;
    },
  };
}
