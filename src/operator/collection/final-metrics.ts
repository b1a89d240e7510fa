/**
 * The metrics of a finished trial pod, read once from where the spec's
 * collector puts them: the primary container's log (Stdout), the collector
 * sidecar's log (File), or the primary container's termination message
 * (TerminationMessage, which needs no pods/log permission). Never throws: a
 * missing pod or log gives an empty snapshot and the reason, for the Trial's
 * message (MetricsUnavailable).
 */
import type { V1ContainerStatus } from "@kubernetes/client-node";
import { noTerminationMessage, type TuningJobSpec } from "../../api/index.js";
import { accumulatorForSpec, emptySnapshot, type MetricsSnapshot } from "../../metrics/accumulator.js";
import { COLLECTOR_CONTAINER } from "../render-job.js";
import type { PodLogSource } from "./log-source.js";

export type MetricsCollector = TuningJobSpec["metrics"]["collector"];

export interface FinalReportsInput {
  source: PodLogSource;
  namespace: string;
  /** The trial's pod; undefined when there is none (deleted, never created). */
  pod: string | undefined;
  /** The pod's container statuses, init containers' included (only TerminationMessage reads them). */
  containerStatuses: readonly V1ContainerStatus[];
  spec: TuningJobSpec;
  primaryContainer: string;
  historyLimit?: number;
}

export interface FinalReports {
  snapshot: MetricsSnapshot;
  collector: MetricsCollector;
  /** Where the values were read: a container's log or its termination message. */
  from: { container: string; kind: "log" | "terminationMessage" };
  /** Why nothing could be read; absent when the read succeeded (even if it held no metrics). */
  unavailable?: string;
}

/** The container whose log carries the metrics, or undefined for TerminationMessage (nothing to follow). */
export function metricsLogContainer(spec: TuningJobSpec, primaryContainer: string): string | undefined {
  switch (spec.metrics.collector) {
    case "Stdout":
      return primaryContainer;
    case "File":
      return COLLECTOR_CONTAINER;
    case "TerminationMessage":
      return undefined;
  }
}

export async function collectFinalReports(input: FinalReportsInput): Promise<FinalReports> {
  const { spec, primaryContainer } = input;
  const collector = spec.metrics.collector;
  const accumulator = accumulatorForSpec(spec, input.historyLimit);
  const container = metricsLogContainer(spec, primaryContainer);
  if (container === undefined) {
    const from = { container: primaryContainer, kind: "terminationMessage" as const };
    const message = terminationMessageOf(input.containerStatuses, primaryContainer);
    if (message === undefined) {
      return {
        snapshot: emptySnapshot(),
        collector,
        from,
        unavailable: noTerminationMessage(primaryContainer),
      };
    }
    for (const line of message.split(/\r\n|\n|\r/)) accumulator.addLine(line);
    return { snapshot: accumulator.snapshot(), collector, from };
  }
  const from = { container, kind: "log" as const };
  if (input.pod === undefined)
    return { snapshot: emptySnapshot(), collector, from, unavailable: "the trial has no pod" };
  try {
    await input.source.stream(input.namespace, input.pod, container, {
      follow: false,
      onLine: (line, truncated) => accumulator.addLine(line, truncated),
    });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return {
      snapshot: emptySnapshot(),
      collector,
      from,
      unavailable: `cannot read the log of ${input.pod}/${container}: ${why}`,
    };
  }
  return { snapshot: accumulator.snapshot(), collector, from };
}

/**
 * The message of the container's last termination: the current state, or the
 * last state when the container has restarted since. Empty counts as none.
 */
export function terminationMessageOf(
  statuses: readonly V1ContainerStatus[],
  container: string,
): string | undefined {
  const status = statuses.find((s) => s.name === container);
  const message = status?.state?.terminated?.message ?? status?.lastState?.terminated?.message;
  return message === undefined || message.trim() === "" ? undefined : message;
}
