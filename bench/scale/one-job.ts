// bench:scale's single-job run: one TuningJob of many trials on KWOK, sampled
// every few seconds (finished trials, operator RSS, planning time in the
// window), optionally SIGKILLed and restarted midway (how long until it
// reconciles again, and whether any trial was lost or duplicated), cut at a
// time limit if it has not completed (and then reported as cut).
import { CustomObjectsApi } from "@kubernetes/client-node";
import type { TuningJobStatus } from "../../src/api/index.js";
import { retiredTotal } from "../../src/engine/index.js";
import { kwokTuningJob } from "../../test/support/kwok-tuningjob.js";
import { OperatorProcess, sumMetric } from "../../test/support/operator-process.js";
import { tuningJobs } from "../../test/support/tuningjob-api.js";
import { sleep } from "../../test/support/wait.js";
import { type LargestObject, largestObject } from "../operator/object-sizes.js";
import { peakResidentBytes, residentBytes } from "../operator/process-memory.js";
import { counterTotal, gaugeMax, processCpuSeconds, type ScaleCluster } from "./kwok-cluster.js";

export interface OneJobOptions {
  /** A strategy name; `+retention` adds trialRetention RETENTION (e.g. TPE+retention). */
  strategy: string;
  trials: number;
  parallelism: number;
  podDurationMs: number;
  maxMinutes: number;
  /** Restart (SIGKILL) once this fraction of the trials has finished. */
  restartAt?: number;
}

export interface OneJobSample {
  atMs: number;
  finished: number;
  rssBytes: number;
  /** V8's live heap (prom-client's nodejs_heap_size_used_bytes): what RSS holds beyond it is the heap's slack and native memory. */
  heapUsedBytes: number;
  /** Planning seconds spent in the window since the previous sample, per trial finished in it. */
  planMsPerTrial: number;
}

export interface RestartResult {
  atFinished: number;
  /** From SIGKILL to /readyz answering (informers synced). */
  readyMs: number;
  /** From SIGKILL to the first Trial created by the new process. */
  firstTrialMs: number;
}

export interface OneJobResult {
  options: OneJobOptions;
  completed: boolean;
  elapsedMs: number;
  finished: number;
  idealMs: number;
  samples: OneJobSample[];
  peakRssBytes: number;
  restart?: RestartResult;
  /** Every index 0…created−1 exactly once after the run. */
  trialsIntact: boolean;
  created: number;
  apiRequestsPerTrial: number;
  operatorWritesPerTrial: number;
  largest: LargestObject[];
  storageBytes: number;
  cpuSeconds: Record<string, number>;
}

const JOB = "scale";
/** What `+retention` runs with: the field's defaults. */
export const RETENTION = { keepBest: 25, keepLast: 1_000 };

/**
 * Planning seconds so far (the suggestion histogram's _sum) from the operator, and trials
 * finished and created from the job's status: the operator's hypertune_trials gauge counts
 * the Trial objects it holds, which trialRetention deletes.
 */
async function progressOf(op: OperatorProcess, api: ReturnType<typeof tuningJobs>) {
  const text = await op.metricsText();
  const job = await api.get(JOB);
  const counts = job.status?.trials ?? {};
  const created = Number(counts.created ?? 0);
  return {
    text,
    planSeconds: sumMetric(text, "hypertune_suggestion_duration_seconds_sum"),
    finished: created - Number(counts.active ?? 0),
    created,
    complete: job.status?.phase === "Complete",
  };
}

export async function runOneJob(
  cluster: ScaleCluster,
  options: OneJobOptions,
  progress: (line: string) => void,
): Promise<OneJobResult> {
  const [strategy = "", variant] = options.strategy.split("+");
  const retention = variant === "retention" ? RETENTION : undefined;
  const namespace = await cluster.newNamespace(
    `scale-${options.strategy.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${Date.now() % 100000}`,
  );
  const op = new OperatorProcess({
    kubeconfig: cluster.kubeconfigPath,
    namespace,
    args: ["--log-level", "info"],
    label: namespace,
  });
  await op.start(120_000);
  const api = tuningJobs(cluster.kc.makeApiClient(CustomObjectsApi), namespace);
  const requestsBefore = counterTotal(await cluster.apiServerMetrics(), "apiserver_request_total");
  const cpuBefore = cluster.cpuSeconds();
  let operatorCpu = 0;
  let writesBefore = 0; // writes counted by operator processes already gone
  let planBefore = 0;
  let peakRssBytes = 0;
  const samples: OneJobSample[] = [];
  let restart: RestartResult | undefined;
  const started = Date.now();
  const resource = kwokTuningJob({
    name: JOB,
    trials: options.trials,
    parallelism: options.parallelism,
    strategy,
    seed: 1,
    podDuration: `${options.podDurationMs}ms`,
  });
  await api.create(
    retention ? { ...resource, spec: { ...resource.spec, trialRetention: retention } } : resource,
  );
  let last = { atMs: 0, finished: 0, planSeconds: 0 };
  let completed = false;
  try {
    for (;;) {
      await sleep(5_000);
      const now = await progressOf(op, api);
      const text = now.text;
      const pid = op.pid ?? 0;
      const planSeconds = planBefore + now.planSeconds;
      const atMs = Date.now() - started;
      const done = now.finished - last.finished;
      samples.push({
        atMs,
        finished: now.finished,
        rssBytes: residentBytes(pid),
        heapUsedBytes: sumMetric(text, "hypertune_nodejs_heap_size_used_bytes"),
        planMsPerTrial: done > 0 ? ((planSeconds - last.planSeconds) * 1000) / done : Number.NaN,
      });
      peakRssBytes = Math.max(peakRssBytes, peakResidentBytes(pid));
      last = { atMs, finished: now.finished, planSeconds };
      if (samples.length % 12 === 0)
        progress(
          `${options.strategy}: ${Math.round(atMs / 1000)} s, ${now.finished}/${options.trials} finished, RSS ${Math.round(residentBytes(pid) / 2 ** 20)} MiB`,
        );
      if (now.complete) {
        completed = true;
        break;
      }
      if (atMs > options.maxMinutes * 60_000) break;
      if (!restart && options.restartAt !== undefined && now.finished >= options.restartAt * options.trials) {
        writesBefore += counterTotal(text, "hypertune_api_writes_total");
        planBefore += now.planSeconds;
        operatorCpu += processCpuSeconds(pid);
        peakRssBytes = Math.max(peakRssBytes, peakResidentBytes(pid));
        restart = await restartOperator(op, api, now.finished, now.created);
        progress(
          `${options.strategy}: restarted at ${now.finished} finished; ready after ${restart.readyMs} ms, first new Trial after ${restart.firstTrialMs} ms`,
        );
      }
    }
    const elapsedMs = Date.now() - started;
    const final = await progressOf(op, api);
    const text = final.text;
    operatorCpu += processCpuSeconds(op.pid ?? 0);
    peakRssBytes = Math.max(peakRssBytes, peakResidentBytes(op.pid ?? 0));
    const writes = writesBefore + counterTotal(text, "hypertune_api_writes_total");
    await op.stop(20_000);
    const serverText = await cluster.apiServerMetrics();
    const requests = counterTotal(serverText, "apiserver_request_total") - requestsBefore;
    const trials = await api.trials(JOB);
    const indices = trials.map((t) => t.spec.index as number).sort((a, b) => a - b);
    const status = (await api.get(JOB)).status;
    const cpuAfter = cluster.cpuSeconds();
    const cpuSeconds: Record<string, number> = { operator: operatorCpu };
    for (const [name, seconds] of Object.entries(cpuAfter))
      cpuSeconds[name] = seconds - (cpuBefore[name] ?? 0);
    return {
      options,
      completed,
      elapsedMs,
      finished: final.finished,
      idealMs: (options.podDurationMs * options.trials) / options.parallelism,
      samples,
      peakRssBytes,
      ...(restart && { restart }),
      trialsIntact: intact(indices, status),
      created: status?.trials?.created ?? indices.length,
      apiRequestsPerTrial: requests / Math.max(1, final.finished),
      operatorWritesPerTrial: writes / Math.max(1, final.finished),
      largest: [
        await largestObject(cluster.kc, cluster.kubeconfigPath, namespace, "tuningjobs"),
        await largestObject(cluster.kc, cluster.kubeconfigPath, namespace, "trials"),
      ],
      storageBytes: gaugeMax(serverText, "apiserver_storage_size_bytes"),
      cpuSeconds,
    };
  } finally {
    await op.stop(20_000);
    await api.delete(JOB).catch(() => undefined);
  }
}

/**
 * Every index 0…created−1 exactly once: all present, or with trialRetention
 * the present ones distinct and below `created`, and with the retired count
 * adding up to it.
 */
function intact(indices: readonly number[], status: TuningJobStatus | undefined): boolean {
  const retired = retiredTotal(status?.retention);
  const created = status?.trials?.created ?? indices.length;
  if (retired === 0) return indices.length === created && indices.every((index, i) => index === i);
  const distinct = indices.every((index, i) => i === 0 || index > (indices[i - 1] as number));
  return distinct && (indices.at(-1) ?? -1) < created && indices.length + retired === created;
}

async function restartOperator(
  op: OperatorProcess,
  api: ReturnType<typeof tuningJobs>,
  atFinished: number,
  createdBefore: number,
): Promise<RestartResult> {
  const killed = Date.now();
  await op.kill();
  await op.start(600_000);
  const readyMs = Date.now() - killed;
  for (;;) {
    const job = await api.get(JOB);
    if ((job.status?.trials?.created ?? 0) > createdBefore || job.status?.phase === "Complete") break;
    await sleep(200);
  }
  return { atFinished, readyMs, firstTrialMs: Date.now() - killed };
}
