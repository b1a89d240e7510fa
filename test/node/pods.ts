// Pods for the real-node tests: restricted Pod Security settings on every
// container, and waiting for a pod to finish.
import type { CoreV1Api, V1Container, V1Pod } from "@kubernetes/client-node";
import { nodeTestImages } from "../cluster/node/test-images.js";
import { nodeTuningJob } from "../integration/operator-helpers.js";
import type { Json } from "../support/tuningjob-api.js";
import { waitFor } from "../support/wait.js";

/** What the `restricted` Pod Security Standard asks of each container, plus a read-only root. */
export const restrictedContainer = {
  securityContext: {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
  },
} satisfies Partial<V1Container>;

export const restrictedPod = {
  securityContext: {
    runAsNonRoot: true,
    runAsUser: 1000,
    runAsGroup: 1000,
    seccompProfile: { type: "RuntimeDefault" },
  },
};

export const restrictedLabels = {
  "pod-security.kubernetes.io/enforce": "restricted",
  "pod-security.kubernetes.io/enforce-version": "latest",
};

/** A restricted namespace with a random suffix. */
export async function restrictedNamespace(core: CoreV1Api, prefix: string): Promise<string> {
  const name = `${prefix}-${Math.random().toString(16).slice(2, 8)}`;
  await core.createNamespace({ body: { metadata: { name, labels: restrictedLabels } } });
  return name;
}

/** Waits for the pod to end (Succeeded or Failed) and returns it. */
export async function finishedPod(core: CoreV1Api, namespace: string, name: string, timeoutMs = 120_000) {
  return waitFor(
    `pod ${namespace}/${name} to finish`,
    async () => {
      const pod = await core.readNamespacedPod({ name, namespace });
      return pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed" ? pod : undefined;
    },
    timeoutMs,
    500,
  );
}

export async function podLog(core: CoreV1Api, namespace: string, name: string, container?: string) {
  return core.readNamespacedPodLog({ name, namespace, container });
}

/** A one-shot pod of `image` running `node -e script`, restricted. */
export function nodeScriptPod(name: string, image: string, script: string, extra: Json = {}): V1Pod {
  const { container = {}, ...spec } = extra;
  return {
    metadata: { name },
    spec: {
      restartPolicy: "Never",
      ...restrictedPod,
      ...spec,
      containers: [
        {
          name: "main",
          image,
          command: ["node", "-e", script],
          ...restrictedContainer,
          ...container,
        },
      ],
    },
  };
}

/** nodeTuningJob's trainer (`node -e script ${params.x}`) in the operator image, restricted, on little CPU. */
export function containerTuningJob(name: string, spec: Json, script?: string): Json {
  const job = nodeTuningJob(name, spec, script);
  const podSpec = job.spec.trialTemplate.job.template.spec;
  podSpec.securityContext = restrictedPod.securityContext;
  const [container] = podSpec.containers;
  Object.assign(container, restrictedContainer, {
    image: nodeTestImages.operator,
    resources: { requests: { cpu: "50m", memory: "64Mi" } },
    ...spec.container,
  });
  return job;
}
