/**
 * What the operator caches of each object: only what the controllers read.
 * At thousands of trials the cached pods and Jobs (with their managedFields
 * and full pod specs) were most of the operator's memory.
 */
import type { V1Job, V1ObjectMeta, V1Pod } from "@kubernetes/client-node";

function slimMetadata(metadata: V1ObjectMeta | undefined): V1ObjectMeta {
  const { managedFields: _managed, annotations: _annotations, ...rest } = metadata ?? {};
  return rest;
}

/** Pods: identity, labels and status (phase, container states, termination messages). */
export function trimPod(pod: V1Pod): V1Pod {
  return {
    apiVersion: pod.apiVersion,
    kind: pod.kind,
    metadata: slimMetadata(pod.metadata),
    status: pod.status,
  };
}

/** Jobs: identity, labels, how many pods they run, and status (conditions, times). */
export function trimJob(job: V1Job): V1Job {
  const spec = job.spec && {
    template: {},
    ...(job.spec.completions !== undefined && { completions: job.spec.completions }),
    ...(job.spec.parallelism !== undefined && { parallelism: job.spec.parallelism }),
  };
  return {
    apiVersion: job.apiVersion,
    kind: job.kind,
    metadata: slimMetadata(job.metadata),
    ...(spec && { spec }),
    status: job.status,
  };
}

/** Custom resources: everything but managedFields (the controllers read spec and status). */
export function withoutManagedFields<T extends { metadata?: V1ObjectMeta }>(obj: T): T {
  if (!obj.metadata?.managedFields) return obj;
  const { managedFields: _managed, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}
