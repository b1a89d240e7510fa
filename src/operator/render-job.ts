/**
 * Renders the batch/v1 Job of one trial from the TuningJob's template. Pure:
 * the same inputs give the same Job, so a re-render after a restart matches
 * what was created before.
 */
import type {
  V1Container,
  V1Job,
  V1JobSpec,
  V1PodFailurePolicyRule,
  V1PodSpec,
} from "@kubernetes/client-node";
import {
  API_GROUP_VERSION,
  attemptEnvironment,
  findPrimaryContainer,
  METRICS_FILE_ENV,
  type ParameterValues,
  parseDurationSeconds,
  renderTrialContainer,
  TERMINATION_MESSAGE_ENV,
  type TemplateContainer,
  type TrialIdentity,
  type TuningJobSpec,
  terminationMessagePath,
} from "../api/index.js";
import { ATTEMPT_LABEL, attemptJobName, trialLabels } from "./labels.js";

export const METRICS_VOLUME = "hypertune-metrics";
export const COLLECTOR_CONTAINER = "hypertune-collector";

export interface TrialJobInput {
  jobName: string;
  namespace: string;
  spec: TuningJobSpec;
  /** `attempt`: 1, then one more after each preemption (absent: 1). */
  trial: { name: string; uid: string; index: number; parameters: ParameterValues; attempt?: number };
  /** The operator's own image, which runs `hypertune collect` as the File collector's sidecar. */
  collectorImage: string;
}

function dirnameOf(path: string): string {
  const cut = path.lastIndexOf("/");
  return cut <= 0 ? "/" : path.slice(0, cut);
}

/** Where this container's collector reads from, as the trial's environment says. */
function collectorEnv(spec: TuningJobSpec, container: TemplateContainer): Record<string, string> {
  switch (spec.metrics.collector) {
    case "File":
      return { [METRICS_FILE_ENV]: spec.metrics.filePath };
    case "TerminationMessage":
      return { [TERMINATION_MESSAGE_ENV]: terminationMessagePath(container) };
    case "Stdout":
      return {};
  }
}

function primaryContainer(
  container: TemplateContainer,
  spec: TuningJobSpec,
  parameters: ParameterValues,
  trial: TrialIdentity,
  attempt: number,
): V1Container {
  const checkpoint = spec.trialTemplate.checkpoint;
  const env = { ...collectorEnv(spec, container), ...attemptEnvironment(attempt, checkpoint?.mountPath) };
  const rendered = {
    ...container,
    ...renderTrialContainer(container, parameters, trial, env),
  } as V1Container;
  if (!checkpoint) return rendered;
  // One sub-directory per trial, the same for every attempt: where a preempted trial resumes from.
  const mount = { name: checkpoint.volume, mountPath: checkpoint.mountPath, subPath: trial.name };
  return { ...rendered, volumeMounts: [...(rendered.volumeMounts ?? []), mount] };
}

/**
 * A disrupted pod (evicted, preempted, its node drained or lost) fails the Job
 * at once, so the operator can run the trial again as a new attempt instead
 * of the Job's backoff counting it as the training's failure. Pod failure
 * policies need restartPolicy Never; with OnFailure the pod's own
 * DisruptionTarget condition is read instead (trial-ending.ts).
 */
export const DISRUPTION_RULE: V1PodFailurePolicyRule = {
  action: "FailJob",
  onPodConditions: [{ type: "DisruptionTarget", status: "True" }],
};

function withDisruptionRule(template: V1JobSpec, restartPolicy: string): Partial<V1JobSpec> {
  if (restartPolicy !== "Never") return {};
  const rules = template.podFailurePolicy?.rules ?? [];
  return { podFailurePolicy: { ...template.podFailurePolicy, rules: [DISRUPTION_RULE, ...rules] } };
}

function withGpus(container: V1Container, spec: TuningJobSpec): V1Container {
  const { gpus, gpuResource } = spec.trialTemplate;
  if (gpus === 0) return container;
  // Extended resources default their request to the limit, so the limit alone is enough.
  const resources = container.resources ?? {};
  return {
    ...container,
    resources: { ...resources, limits: { ...resources.limits, [gpuResource]: String(gpus) } },
  };
}

/** The File collector: a shared emptyDir, and a native sidecar that tails the file into its log. */
function withFileCollector(pod: V1PodSpec, primary: string, spec: TuningJobSpec, image: string): V1PodSpec {
  const filePath = spec.metrics.filePath;
  const mount = { name: METRICS_VOLUME, mountPath: dirnameOf(filePath) };
  const sidecar: V1Container = {
    name: COLLECTOR_CONTAINER,
    image,
    args: ["collect", "--file", filePath],
    restartPolicy: "Always",
    volumeMounts: [mount],
    resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    },
  };
  return {
    ...pod,
    volumes: [...(pod.volumes ?? []), { name: METRICS_VOLUME, emptyDir: {} }],
    initContainers: [...(pod.initContainers ?? []), sidecar],
    containers: pod.containers.map((c) =>
      c.name === primary
        ? {
            ...c,
            volumeMounts: [...(c.volumeMounts ?? []), mount],
          }
        : c,
    ),
  };
}

export function renderTrialJob(input: TrialJobInput): V1Job {
  const { spec, trial, jobName } = input;
  const template = structuredClone(spec.trialTemplate.job) as unknown as V1JobSpec;
  const found = findPrimaryContainer(spec.trialTemplate.job, spec.trialTemplate.primaryContainer);
  if ("error" in found) throw new Error(found.error);
  const primaryName = found.container.name;
  const identity = { name: trial.name, index: trial.index };
  const attempt = trial.attempt ?? 1;
  const labels = { ...trialLabels(jobName, trial.name), [ATTEMPT_LABEL]: String(attempt) };
  const restartPolicy = template.template.spec?.restartPolicy ?? "Never";

  let pod: V1PodSpec = {
    ...template.template.spec,
    restartPolicy,
    containers: (template.template.spec?.containers ?? []).map((c) =>
      c.name === primaryName
        ? withGpus(primaryContainer(c as TemplateContainer, spec, trial.parameters, identity, attempt), spec)
        : c,
    ),
  };
  if (spec.metrics.collector === "File")
    pod = withFileCollector(pod, primaryName, spec, input.collectorImage);

  const timeout = spec.limits.trialTimeout ? parseDurationSeconds(spec.limits.trialTimeout) : undefined;
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: attemptJobName(trial.name, attempt),
      namespace: input.namespace,
      labels,
      ownerReferences: [
        {
          apiVersion: API_GROUP_VERSION,
          kind: "Trial",
          name: trial.name,
          uid: trial.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      ...template,
      ...withDisruptionRule(template, restartPolicy),
      backoffLimit: template.backoffLimit ?? 0,
      ...(timeout !== undefined &&
        template.activeDeadlineSeconds === undefined && { activeDeadlineSeconds: timeout }),
      template: {
        ...template.template,
        metadata: {
          ...template.template.metadata,
          labels: { ...template.template.metadata?.labels, ...labels },
        },
        spec: pod,
      },
    },
  };
}
