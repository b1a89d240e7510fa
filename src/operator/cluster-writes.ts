/** The operator's writes to the API server, each one call, each safe to repeat. */
import { BatchV1Api, CustomObjectsApi, type KubeConfig, type V1Job } from "@kubernetes/client-node";
import { API_GROUP, API_VERSION, type Trial } from "../api/index.js";
import {
  createIgnoringExists,
  isAlreadyExists,
  isNotFound,
  mergePatch,
  mergePatchStatus,
} from "../kube/index.js";
import { jobCreatorAs } from "./create-as.js";
import type { ClusterWrites } from "./deps.js";

export interface WriteCounter {
  count(kind: string): void;
}

export function createClusterWrites(kc: KubeConfig, counter?: WriteCounter): ClusterWrites {
  const batch = kc.makeApiClient(BatchV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const createJobAs = jobCreatorAs(kc);
  const ref = (plural: string, namespace: string, name: string) => ({
    group: API_GROUP,
    version: API_VERSION,
    plural,
    namespace,
    name,
  });
  const counted = <T>(kind: string, write: Promise<T>) => {
    counter?.count(kind);
    return write;
  };
  return {
    async createTrial(namespace, trial: Trial) {
      await counted(
        "create_trial",
        createIgnoringExists(
          kc,
          { group: API_GROUP, version: API_VERSION, plural: "trials", namespace },
          trial,
        ),
      );
    },
    async patchTrialSpec(namespace, name, patch) {
      await counted("patch_trial", mergePatch(kc, ref("trials", namespace, name), { spec: patch }));
    },
    async patchTrialStatus(namespace, name, status, resourceVersion) {
      await counted(
        "patch_trial_status",
        mergePatchStatus(kc, ref("trials", namespace, name), status, resourceVersion),
      );
    },
    async deleteTrial(namespace, name) {
      try {
        await counted(
          "delete_trial",
          custom.deleteNamespacedCustomObject({
            ...ref("trials", namespace, name),
            namespace,
            propagationPolicy: "Background",
          }),
        );
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },
    async patchTuningJobStatus(namespace, name, status) {
      await counted(
        "patch_tuningjob_status",
        mergePatchStatus(kc, ref("tuningjobs", namespace, name), status),
      );
    },
    async createJob(namespace, job: V1Job, as) {
      try {
        await counted(
          "create_job",
          as
            ? createJobAs(namespace, job, as)
            : batch.createNamespacedJob({ namespace, body: job }).then(() => undefined),
        );
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
    },
    async deleteJob(namespace, name) {
      try {
        await counted(
          "delete_job",
          batch.deleteNamespacedJob({ namespace, name, propagationPolicy: "Background" }),
        );
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },
  };
}
