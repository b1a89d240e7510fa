/**
 * How a trial's Job ended, in the words both backends conclude a trial with
 * (`TrialEnding`): read from the Job's conditions and the primary container's
 * last state. Pure.
 */
import type { V1Job, V1Pod } from "@kubernetes/client-node";
import type { TrialEnding } from "../engine/index.js";

function jobCondition(job: V1Job, type: "Complete" | "Failed") {
  return job.status?.conditions?.find((c) => c.type === type && c.status === "True");
}

/**
 * A Job of one pod (completions 1, parallelism 1) is as good as complete once
 * that pod has Succeeded. The Job controller batches pod updates and adds its
 * Complete condition a second or two later; waiting for it put that delay
 * between every trial and the next. Failures still wait for the Job's
 * condition, which carries the reason (DeadlineExceeded, BackoffLimitExceeded).
 */
function singlePodSucceeded(job: V1Job, pod: V1Pod | undefined): boolean {
  return (
    pod?.status?.phase === "Succeeded" &&
    (job.spec?.completions ?? 1) === 1 &&
    (job.spec?.parallelism ?? 1) <= 1
  );
}

/** The ending of a Job that has ended; undefined while it has not. */
export function jobEnding(
  job: V1Job,
  pod: V1Pod | undefined,
  primaryContainer: string,
): TrialEnding | undefined {
  const failed = jobCondition(job, "Failed");
  if (failed) {
    if (failed.reason === "DeadlineExceeded") return { kind: "TimedOut" };
    const disrupted = disruptionOf(pod) ?? disruptionRuleMatched(failed);
    if (disrupted) return { kind: "Preempted", ...disrupted };
    return {
      kind: "Failed",
      detail: exitDetail(pod, primaryContainer) ?? failed.message ?? "the Job failed",
    };
  }
  if (jobCondition(job, "Complete") || singlePodSucceeded(job, pod)) return { kind: "Exited" };
  return undefined;
}

/**
 * The pod's DisruptionTarget condition: set by the API server and controllers
 * when they take a pod away (EvictionByEvictionAPI, PreemptionByScheduler,
 * DeletionByTaintManager, DeletionByPodGC for a lost node, TerminationByKubelet).
 */
function disruptionOf(pod: V1Pod | undefined): { reason: string; detail: string } | undefined {
  const condition = pod?.status?.conditions?.find(
    (c) => c.type === "DisruptionTarget" && c.status === "True",
  );
  if (!condition) return undefined;
  const reason = condition.reason ?? "DisruptionTarget";
  return {
    reason,
    detail: `the pod was disrupted (${reason}${condition.message ? `: ${condition.message}` : ""})`,
  };
}

/** The pod is gone, but the Job says our DisruptionTarget rule (render-job.ts) failed it. */
function disruptionRuleMatched(failed: { reason?: string; message?: string }) {
  if (failed.reason !== "PodFailurePolicy" || !failed.message?.includes("DisruptionTarget")) return undefined;
  return { reason: "DisruptionTarget", detail: `the pod was disrupted (${failed.message})` };
}

/** "exited with code 2", as the local backend says it, from the container's last termination. */
function exitDetail(pod: V1Pod | undefined, container: string): string | undefined {
  const status = pod?.status?.containerStatuses?.find((s) => s.name === container);
  const terminated = status?.state?.terminated ?? status?.lastState?.terminated;
  if (!terminated) return undefined;
  // Error is what every non-zero exit is called; other reasons (OOMKilled) say more.
  const why = terminated.reason && terminated.reason !== "Error" ? ` (${terminated.reason})` : "";
  return `exited with code ${terminated.exitCode}${why}`;
}

/** When the primary container ran (ms since the epoch), for noticing output that all came at the end. */
export function containerRunTime(
  pod: V1Pod | undefined,
  container: string,
): { ranFrom?: number; ranUntil?: number } {
  const terminated = pod?.status?.containerStatuses?.find((s) => s.name === container)?.state?.terminated;
  const ms = (t: Date | string | undefined) => (t === undefined ? undefined : new Date(t).getTime());
  const ranFrom = ms(terminated?.startedAt);
  const ranUntil = ms(terminated?.finishedAt);
  return {
    ...(ranFrom !== undefined && { ranFrom }),
    ...(ranUntil !== undefined && { ranUntil }),
  };
}
