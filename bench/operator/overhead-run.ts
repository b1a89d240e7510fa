// Overhead run: one TuningJob of short trials at full parallelism. The delay
// between a pod finishing and the operator's next Job appearing is the
// operator's per-trial overhead; the split at the Trial's finished phase shows
// whether the time goes to noticing the pod (Trial controller, log read) or to
// planning and creating the next trial (TuningJob then Trial controller).
import { CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import { sumMetric } from "../../test/support/operator-process.js";
import { percentile } from "../../test/support/stats.js";
import { tuningJobs, waitForPhase } from "../../test/support/tuningjob-api.js";
import { startBenchOperator } from "./bench-operator.js";
import { type Quantiles, reconcileQuantilesMs } from "./stats.js";
import { slotRefillDelays, Timeline } from "./timeline.js";
import { benchTuningJob } from "./workload.js";

export type { Quantiles };

export interface OverheadResult {
  trials: number;
  parallelism: number;
  /** Pod finished → next Job, ms. */
  overheadMs: Quantiles;
  /** Pod finished → its Trial finished, ms. */
  noticeMs: Quantiles;
  /** Pod finished → its Job's Complete/Failed condition (the Job controller's delay), ms. */
  jobConditionMs: Quantiles;
  /** Trial finished → next Job, ms. */
  refillMs: Quantiles;
  writesPerTrial: number;
  writesByKind: Record<string, number>;
  /** TuningJob created → seen Complete. */
  wallMs: number;
  /** First Job seen → last pod seen finished (the baseline's measure). */
  jobsWallMs: number;
  peakRssBytes: number;
  reconcileMs: Record<string, Quantiles>;
}

const q = (samples: number[]): Quantiles => ({ p50: percentile(samples, 50), p99: percentile(samples, 99) });

export async function runOverhead(
  kc: KubeConfig,
  kubeconfigPath: string,
  namespace: string,
  trials: number,
  parallelism: number,
  cpuProfileDir?: string,
): Promise<OverheadResult> {
  const timeline = new Timeline(kc, namespace);
  await timeline.start();
  const operator = await startBenchOperator(kubeconfigPath, namespace, cpuProfileDir);
  try {
    const api = tuningJobs(kc.makeApiClient(CustomObjectsApi), namespace);
    const started = Date.now();
    await api.create(benchTuningJob("overhead", trials, parallelism));
    await waitForPhase(api, "overhead", "Complete", 20 * 60_000);
    const wallMs = Date.now() - started;
    timeline.stop();

    const text = await operator.process.metricsText();
    const writesByKind: Record<string, number> = {};
    for (const m of text.matchAll(/^hypertune_api_writes_total\{kind="([^"]+)"\} (\S+)$/gm))
      writesByKind[m[1] as string] = Number(m[2]);
    const reconcileMs = reconcileQuantilesMs(text);

    const podDone = [...timeline.podFinished.values()];
    const jobsSeen = [...timeline.jobAdded.values()];
    const notice: number[] = [];
    const jobCondition: number[] = [];
    for (const [name, podAt] of timeline.podFinished) {
      const trialAt = timeline.trialFinished.get(name);
      if (trialAt !== undefined) notice.push(trialAt - podAt);
      const jobAt = timeline.jobFinished.get(name);
      if (jobAt !== undefined) jobCondition.push(jobAt - podAt);
    }
    return {
      trials,
      parallelism,
      overheadMs: q(slotRefillDelays(podDone, jobsSeen, parallelism)),
      noticeMs: q(notice),
      jobConditionMs: q(jobCondition),
      refillMs: q(slotRefillDelays([...timeline.trialFinished.values()], jobsSeen, parallelism)),
      writesPerTrial: sumMetric(text, "hypertune_api_writes_total") / trials,
      writesByKind,
      wallMs,
      jobsWallMs: Math.max(...podDone) - Math.min(...jobsSeen),
      peakRssBytes: operator.peakRss(),
      reconcileMs,
    };
  } finally {
    timeline.stop();
    await operator.stop();
  }
}
