// bench:scale's many-jobs run: hundreds of TuningJobs at once across namespaces,
// one operator watching them all. Measures reconcile latency, the work queue's
// depth, the time from a trial's pod finishing to the job's next trial's Job
// (the slot refilled), and fairness: how far the slowest job lags the median.
import { CustomObjectsApi } from "@kubernetes/client-node";
import { kwokTuningJob } from "../../test/support/kwok-tuningjob.js";
import { OperatorProcess } from "../../test/support/operator-process.js";
import { percentile } from "../../test/support/stats.js";
import type { Json } from "../../test/support/tuningjob-api.js";
import { sleep } from "../../test/support/wait.js";
import { peakResidentBytes } from "../operator/process-memory.js";
import { type Quantiles, reconcileQuantilesMs } from "../operator/stats.js";
import { slotRefillDelays, Timeline } from "../operator/timeline.js";
import type { ScaleCluster } from "./kwok-cluster.js";

export interface ManyJobsOptions {
  jobs: number;
  namespaces: number;
  trialsPerJob: number;
  parallelismPerJob: number;
  podDurationMs: number;
  maxMinutes: number;
}

export interface ManyJobsResult {
  options: ManyJobsOptions;
  elapsedMs: number;
  completedJobs: number;
  finished: number;
  reconcileMs: Record<string, Quantiles>;
  /** The tuningjob queue's depth over the 5-second samples. */
  queueDepth: { p50: number; p99: number; max: number };
  refillMs: Quantiles;
  /** Slowest job's finished trials ÷ the median job's, when the median first reached half its trials (or at the end). */
  fairness: { at: string; ratio: number };
  peakRssBytes: number;
}

const group = { group: "hypertune.dev", version: "v1alpha1" };

function gauge(text: string, name: string, label: string): number {
  const m = new RegExp(`^${name}\\{${label}\\} (\\S+)$`, "m").exec(text);
  return m ? Number(m[1]) : Number.NaN;
}

export async function runManyJobs(
  cluster: ScaleCluster,
  options: ManyJobsOptions,
  progress: (line: string) => void,
): Promise<ManyJobsResult> {
  const namespaces: string[] = [];
  for (let i = 0; i < options.namespaces; i++) namespaces.push(await cluster.newNamespace(`many-${i}`));
  const op = new OperatorProcess({
    kubeconfig: cluster.kubeconfigPath,
    namespace: namespaces.join(","),
    args: ["--log-level", "info"],
    label: "many",
  });
  await op.start(120_000);
  const timelines = namespaces.map((ns) => new Timeline(cluster.kc, ns));
  await Promise.all(timelines.map((t) => t.start()));
  const custom = cluster.kc.makeApiClient(CustomObjectsApi);
  const total = options.jobs * options.trialsPerJob;
  const depths: number[] = [];
  let fairness: { at: string; ratio: number } | undefined;
  let completedJobs = 0;
  let finished = 0;
  const started = Date.now();
  try {
    for (let j = 0; j < options.jobs; j++) {
      const namespace = namespaces[j % namespaces.length] as string;
      const body = kwokTuningJob({
        name: `job-${j}`,
        trials: options.trialsPerJob,
        parallelism: options.parallelismPerJob,
        strategy: j % 2 === 0 ? "TPE" : "Random",
        seed: j + 1,
        podDuration: `${options.podDurationMs}ms`,
      });
      await custom.createNamespacedCustomObject({ ...group, plural: "tuningjobs", namespace, body });
    }
    for (;;) {
      await sleep(5_000);
      depths.push(gauge(await op.metricsText(), "hypertune_workqueue_depth", 'controller="tuningjob"'));
      const progressByJob: number[] = [];
      completedJobs = 0;
      for (const namespace of namespaces) {
        const list = (await custom.listNamespacedCustomObject({
          ...group,
          plural: "tuningjobs",
          namespace,
        })) as {
          items: Json[];
        };
        for (const tj of list.items) {
          const t = tj.status?.trials ?? {};
          progressByJob.push(
            (t.succeeded ?? 0) + (t.failed ?? 0) + (t.earlyStopped ?? 0) + (t.metricsUnavailable ?? 0),
          );
          if (tj.status?.phase === "Complete") completedJobs++;
        }
      }
      finished = progressByJob.reduce((s, n) => s + n, 0);
      const median = percentile(progressByJob, 50);
      const elapsed = Date.now() - started;
      if (!fairness && median >= options.trialsPerJob / 2)
        fairness = {
          at: `${Math.round(elapsed / 1000)} s (median job half done)`,
          ratio: Math.min(...progressByJob) / median,
        };
      if (depths.length % 12 === 0)
        progress(
          `many jobs: ${Math.round(elapsed / 1000)} s, ${finished}/${total} finished, ${completedJobs} jobs complete`,
        );
      if (completedJobs === options.jobs) break;
      if (elapsed > options.maxMinutes * 60_000) {
        fairness ??= {
          at: `${Math.round(elapsed / 1000)} s (cut)`,
          ratio: median > 0 ? Math.min(...progressByJob) / median : Number.NaN,
        };
        break;
      }
    }
    const elapsedMs = Date.now() - started;
    const reconcileMs = reconcileQuantilesMs(await op.metricsText());
    const peakRssBytes = peakResidentBytes(op.pid ?? 0);
    const refills: number[] = [];
    for (const timeline of timelines) {
      // Per TuningJob: its Jobs are named <job>-<index>.
      const byJob = new Map<string, { finished: number[]; created: number[] }>();
      const entry = (jobName: string) => {
        const key = jobName.replace(/-\d+$/, "");
        let e = byJob.get(key);
        if (!e) {
          e = { finished: [], created: [] };
          byJob.set(key, e);
        }
        return e;
      };
      for (const [name, at] of timeline.podFinished) entry(name).finished.push(at);
      for (const [name, at] of timeline.jobAdded) entry(name).created.push(at);
      for (const e of byJob.values())
        refills.push(...slotRefillDelays(e.finished, e.created, options.parallelismPerJob));
    }
    return {
      options,
      elapsedMs,
      completedJobs,
      finished,
      reconcileMs,
      queueDepth: { p50: percentile(depths, 50), p99: percentile(depths, 99), max: Math.max(...depths) },
      refillMs: { p50: percentile(refills, 50), p99: percentile(refills, 99) },
      fairness: fairness ?? { at: "end", ratio: Number.NaN },
      peakRssBytes,
    };
  } finally {
    for (const t of timelines) t.stop();
    await op.stop(20_000);
  }
}
