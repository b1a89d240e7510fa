/** Connects the metric collectors to the Trial controller: log followers and the final read. */
import type { KubeConfig, V1Pod } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { containerStateOf } from "./collection/container-state.js";
import { collectFinalReports } from "./collection/final-metrics.js";
import { TrialLogFollowers } from "./collection/followers.js";
import { createPodLogSource } from "./collection/log-source.js";
import type { ObjectCache } from "./deps.js";
import type { CollectFinal, LogFollowers } from "./trial-controller.js";

export interface MetricCollection {
  followers: LogFollowers;
  collectFinal: CollectFinal;
  stopAll(): void;
}

/** Container states come from the pod cache, so following a log costs no extra API reads. */
export function createMetricCollection(
  kc: KubeConfig,
  pods: ObjectCache<V1Pod>,
  log: Logger,
): MetricCollection {
  const source = createPodLogSource(kc);
  const followers = new TrialLogFollowers({
    source,
    containerState: async (namespace, pod, container) =>
      containerStateOf(pods.get(namespace, pod), container),
    onError: (key, err) => log.debug({ err, trial: key }, "following a trial's log failed; retrying"),
  });
  const collectFinal: CollectFinal = async ({ namespace, pod, spec, primaryContainer }) => {
    const result = await collectFinalReports({
      source,
      namespace,
      pod: pod?.metadata?.name,
      containerStatuses: [
        ...(pod?.status?.initContainerStatuses ?? []),
        ...(pod?.status?.containerStatuses ?? []),
      ],
      spec,
      primaryContainer,
    });
    if (result.unavailable)
      log.info({ pod: pod?.metadata?.name, why: result.unavailable }, "final metrics unavailable");
    return {
      snapshot: result.snapshot,
      ...(result.unavailable !== undefined && { unavailable: result.unavailable }),
    };
  };
  return { followers, collectFinal, stopAll: () => followers.stopAll() };
}
