// Scale run: many TuningJobs at once for a bounded time (or until they all
// complete), sampling the operator's RSS against the number of Trials it holds.
// What 10,000 Trials would cost is extrapolated from the samples and is
// labelled so wherever it is printed.
import { CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import { tuningJobs } from "../../test/support/tuningjob-api.js";
import { sleep } from "../../test/support/wait.js";
import { startBenchOperator } from "./bench-operator.js";
import { type LargestObject, largestObject } from "./object-sizes.js";
import { type Quantiles, reconcileQuantilesMs } from "./stats.js";
import { benchTuningJob } from "./workload.js";

export interface ScaleSample {
  atMs: number;
  trials: number;
  finished: number;
  rssBytes: number;
}

export interface ScaleResult {
  tuningJobs: number;
  trialsPerJob: number;
  parallelismPerJob: number;
  elapsedMs: number;
  completedJobs: number;
  samples: ScaleSample[];
  /** Finished trials per second over the run. */
  rate: number;
  peakRssBytes: number;
  /** Least-squares RSS per Trial over the second half of the samples. */
  rssBytesPerTrial: number;
  /** EXTRAPOLATED: RSS at `target` Trials from the last sample and the slope. */
  rssAtTargetBytes: number;
  target: number;
  largest: LargestObject[];
  reconcileMs: Record<string, Quantiles>;
}

const FINISHED = ["Succeeded", "Failed", "EarlyStopped", "MetricsUnavailable"];

function trialCounts(metricsText: string): { trials: number; finished: number } {
  let trials = 0;
  let finished = 0;
  for (const m of metricsText.matchAll(/^hypertune_trials\{phase="([^"]+)"\} (\S+)$/gm)) {
    const n = Number(m[2]);
    trials += n;
    if (FINISHED.includes(m[1] as string)) finished += n;
  }
  return { trials, finished };
}

function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  return sxx === 0 ? Number.NaN : sxy / sxx;
}

export async function runScale(
  kc: KubeConfig,
  kubeconfigPath: string,
  namespace: string,
  opts: { jobs: number; trialsPerJob: number; parallelism: number; durationMs: number },
  progress: (line: string) => void,
): Promise<ScaleResult> {
  const operator = await startBenchOperator(kubeconfigPath, namespace);
  const api = tuningJobs(kc.makeApiClient(CustomObjectsApi), namespace);
  const target = opts.jobs * opts.trialsPerJob;
  const samples: ScaleSample[] = [];
  try {
    const started = Date.now();
    for (let i = 0; i < opts.jobs; i++)
      await api.create(benchTuningJob(`scale-${i}`, opts.trialsPerJob, opts.parallelism, i + 1));
    let completedJobs = 0;
    for (;;) {
      await sleep(5_000);
      const counts = trialCounts(await operator.process.metricsText());
      samples.push({ atMs: Date.now() - started, ...counts, rssBytes: operator.rss() });
      if (samples.length % 6 === 0)
        progress(
          `scale: ${Math.round((Date.now() - started) / 1000)} s, ${counts.finished}/${target} finished, RSS ${Math.round(operator.rss() / 2 ** 20)} MiB`,
        );
      if (counts.finished >= target) {
        const list = await Promise.all(Array.from({ length: opts.jobs }, (_, i) => api.get(`scale-${i}`)));
        completedJobs = list.filter((tj) => tj.status?.phase === "Complete").length;
        if (completedJobs === opts.jobs) break;
      }
      if (Date.now() - started > opts.durationMs) break;
    }
    const elapsedMs = Date.now() - started;
    const text = await operator.process.metricsText();
    const last = trialCounts(text);
    const reconcileMs = reconcileQuantilesMs(text);
    const peakRssBytes = operator.peakRss();
    const half = samples.slice(Math.floor(samples.length / 2)).map((s) => ({ x: s.trials, y: s.rssBytes }));
    const perTrial = slope(half);
    const lastSample = samples.at(-1);
    const rssAtTargetBytes = lastSample
      ? lastSample.rssBytes + Math.max(0, perTrial) * (target - lastSample.trials)
      : Number.NaN;
    await operator.stop();
    const largest = [
      await largestObject(kc, kubeconfigPath, namespace, "tuningjobs"),
      await largestObject(kc, kubeconfigPath, namespace, "trials"),
    ];
    return {
      tuningJobs: opts.jobs,
      trialsPerJob: opts.trialsPerJob,
      parallelismPerJob: opts.parallelism,
      elapsedMs,
      completedJobs,
      samples,
      rate: last.finished / (elapsedMs / 1000),
      peakRssBytes,
      rssBytesPerTrial: perTrial,
      rssAtTargetBytes,
      target,
      largest,
      reconcileMs,
    };
  } finally {
    await operator.stop();
  }
}
