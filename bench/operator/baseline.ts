// The ideal without the operator: the same container as plain Jobs created by
// the bench itself, `parallelism` at a time, the next one created the moment a
// pod is seen finished. What one Job takes end to end here (Job created →
// pod Succeeded, through the Job controller, scheduler and node agent) is the
// floor any operator adds to.
import { BatchV1Api, type KubeConfig } from "@kubernetes/client-node";
import { percentile } from "../../test/support/stats.js";
import { Timeline } from "./timeline.js";
import { baselineJob } from "./workload.js";

export interface BaselineResult {
  jobs: number;
  parallelism: number;
  endToEndMs: { p50: number; p99: number };
  /** Pod finished → Job condition Complete, from the Job controller alone. */
  jobConditionMs: { p50: number; p99: number };
  /** First Job seen → last pod seen finished. */
  wallMs: number;
  /** jobs / parallelism × median end-to-end. */
  idealMs: number;
}

export async function runBaseline(
  kc: KubeConfig,
  namespace: string,
  jobs: number,
  parallelism: number,
): Promise<BaselineResult> {
  const batch = kc.makeApiClient(BatchV1Api);
  const timeline = new Timeline(kc, namespace);
  await timeline.start();
  let next = 0;
  const create = () => {
    if (next >= jobs) return;
    const name = `baseline-${next++}`;
    batch.createNamespacedJob({ namespace, body: baselineJob(name) }).catch((err: unknown) => {
      console.error(`baseline: creating ${name} failed: ${String(err)}`);
    });
  };
  const allDone = new Promise<void>((done) => {
    timeline.onEvent((event) => {
      if (event !== "pod") return;
      create();
      if (timeline.podFinished.size >= jobs) done();
    });
  });
  for (let i = 0; i < parallelism; i++) create();
  // Also wait for the Job controller's Complete conditions (measured, not on the critical path here).
  const conditionsSet = new Promise<void>((done) => {
    timeline.onEvent(() => {
      if (timeline.jobFinished.size >= jobs) done();
    });
  });
  await withTimeout(allDone, 15 * 60_000, "baseline Jobs");
  await withTimeout(conditionsSet, 120_000, "baseline Job conditions").catch(() => undefined);
  timeline.stop();

  const endToEnd: number[] = [];
  const jobCondition: number[] = [];
  for (const [job, finished] of timeline.podFinished) {
    const added = timeline.jobAdded.get(job);
    if (added !== undefined) endToEnd.push(finished - added);
    const condition = timeline.jobFinished.get(job);
    if (condition !== undefined) jobCondition.push(condition - finished);
  }
  const firstJob = Math.min(...timeline.jobAdded.values());
  const lastPod = Math.max(...timeline.podFinished.values());
  const p50 = percentile(endToEnd, 50);
  return {
    jobs,
    parallelism,
    endToEndMs: { p50, p99: percentile(endToEnd, 99) },
    jobConditionMs: { p50: percentile(jobCondition, 50), p99: percentile(jobCondition, 99) },
    wallMs: lastPod - firstJob,
    idealMs: (jobs / parallelism) * p50,
  };
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
