// bench:scale's single-job run: one TuningJob of many trials on KWOK, sampled
// every few seconds (finished trials, operator RSS, planning time in the
// window), optionally SIGKILLed and restarted midway (how long until it
// reconciles again, and whether any trial was lost or duplicated), cut at a
// time limit if it has not completed (and then reported as cut).
import { CustomObjectsApi } from "@kubernetes/client-node";
import { kwokTuningJob } from "../../test/support/kwok-tuningjob.js";
import { OperatorProcess, sumMetric } from "../../test/support/operator-process.js";
import { tuningJobs } from "../../test/support/tuningjob-api.js";
import { sleep } from "../../test/support/wait.js";
import { type LargestObject, largestObject } from "../operator/object-sizes.js";
import { peakResidentBytes, residentBytes } from "../operator/process-memory.js";
import { counterTotal, gaugeMax, processCpuSeconds, type ScaleCluster } from "./kwok-cluster.js";

export interface OneJobOptions {
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

/** Planning seconds so far (the suggestion histogram's _sum), finished trials, trials created. */
function readOperator(text: string) {
  let finished = 0;
  let created = 0;
  for (const m of text.matchAll(/^hypertune_trials\{phase="([^"]+)"\} (\S+)$/gm)) {
    created += Number(m[2]);
    if (m[1] !== "Pending" && m[1] !== "Running") finished += Number(m[2]);
  }
  return { planSeconds: sumMetric(text, "hypertune_suggestion_duration_seconds_sum"), finished, created };
}

export async function runOneJob(
  cluster: ScaleCluster,
  options: OneJobOptions,
  progress: (line: string) => void,
): Promise<OneJobResult> {
  const namespace = await cluster.newNamespace(
    `scale-${options.strategy.toLowerCase()}-${Date.now() % 100000}`,
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
  await api.create(
    kwokTuningJob({
      name: JOB,
      trials: options.trials,
      parallelism: options.parallelism,
      strategy: options.strategy,
      seed: 1,
      podDuration: `${options.podDurationMs}ms`,
    }),
  );
  let last = { atMs: 0, finished: 0, planSeconds: 0 };
  let completed = false;
  try {
    for (;;) {
      await sleep(5_000);
      const text = await op.metricsText();
      const now = readOperator(text);
      const pid = op.pid ?? 0;
      const planSeconds = planBefore + now.planSeconds;
      const atMs = Date.now() - started;
      const done = now.finished - last.finished;
      samples.push({
        atMs,
        finished: now.finished,
        rssBytes: residentBytes(pid),
        planMsPerTrial: done > 0 ? ((planSeconds - last.planSeconds) * 1000) / done : Number.NaN,
      });
      peakRssBytes = Math.max(peakRssBytes, peakResidentBytes(pid));
      last = { atMs, finished: now.finished, planSeconds };
      if (samples.length % 12 === 0)
        progress(
          `${options.strategy}: ${Math.round(atMs / 1000)} s, ${now.finished}/${options.trials} finished, RSS ${Math.round(residentBytes(pid) / 2 ** 20)} MiB`,
        );
      const job = await api.get(JOB);
      if (job.status?.phase === "Complete") {
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
    const text = await op.metricsText();
    const final = readOperator(text);
    operatorCpu += processCpuSeconds(op.pid ?? 0);
    peakRssBytes = Math.max(peakRssBytes, peakResidentBytes(op.pid ?? 0));
    const writes = writesBefore + counterTotal(text, "hypertune_api_writes_total");
    await op.stop(20_000);
    const serverText = await cluster.apiServerMetrics();
    const requests = counterTotal(serverText, "apiserver_request_total") - requestsBefore;
    const trials = await api.trials(JOB);
    const indices = trials.map((t) => t.spec.index as number).sort((a, b) => a - b);
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
      trialsIntact: indices.every((index, i) => index === i),
      created: indices.length,
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
