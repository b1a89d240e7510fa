// bench:scale's tables, side by side per strategy, every figure as measured.

import { mib } from "../operator/process-memory.js";
import { markdownTable } from "../timing.js";
import type { LocalRunResult } from "./local-run.js";
import type { ManyJobsResult } from "./many-jobs.js";
import type { OneJobResult, OneJobSample } from "./one-job.js";

const seconds = (ms: number) => `${(ms / 1000).toFixed(0)} s`;
const mibText = (bytes: number) =>
  !Number.isFinite(bytes)
    ? "n/a"
    : bytes < 2 ** 20
      ? `${(bytes / 1024).toFixed(0)} KiB`
      : `${mib(bytes).toFixed(0)} MiB`;

/** The first sample at or past `finished` trials. */
function at(samples: readonly OneJobSample[], finished: number): OneJobSample | undefined {
  return samples.find((s) => s.finished >= finished);
}

/** Mean planning time per finished trial over the samples between two sizes. */
function planBetween(samples: readonly OneJobSample[], from: number, to: number): string {
  const window = samples.filter(
    (s) => s.finished > from && s.finished <= to && Number.isFinite(s.planMsPerTrial),
  );
  if (window.length === 0) return "—";
  const mean = window.reduce((sum, s) => sum + s.planMsPerTrial, 0) / window.length;
  return `${mean.toFixed(1)} ms`;
}

export function oneJobTable(results: readonly OneJobResult[]): string {
  const rows: [string, (r: OneJobResult) => string][] = [
    [
      "trials finished / asked",
      (r) => `${r.finished.toLocaleString("en")} / ${r.options.trials.toLocaleString("en")}`,
    ],
    [
      "wall time",
      (r) => `${seconds(r.elapsedMs)}${r.completed ? "" : ` (cut at ${r.options.maxMinutes} min)`}`,
    ],
    ["ideal (pod time × trials ÷ parallelism)", (r) => seconds(r.idealMs)],
    ["trials per second", (r) => (r.finished / (r.elapsedMs / 1000)).toFixed(1)],
    [
      "operator RSS at 1,000 / 10,000 finished",
      (r) =>
        `${mibText(at(r.samples, 1_000)?.rssBytes ?? Number.NaN)} / ${mibText(at(r.samples, 10_000)?.rssBytes ?? Number.NaN)}`,
    ],
    [
      "operator V8 heap used at 1,000 / 10,000 finished",
      (r) =>
        `${mibText(at(r.samples, 1_000)?.heapUsedBytes ?? Number.NaN)} / ${mibText(at(r.samples, 10_000)?.heapUsedBytes ?? Number.NaN)}`,
    ],
    ["operator RSS peak", (r) => mibText(r.peakRssBytes)],
    [
      "planning per trial, ≤ 1,000 / 1,000–10,000 / > 10,000 finished",
      (r) =>
        `${planBetween(r.samples, 0, 1_000)} / ${planBetween(r.samples, 1_000, 10_000)} / ${planBetween(r.samples, 10_000, Number.POSITIVE_INFINITY)}`,
    ],
    [
      "API requests per trial (all clients) / operator writes per trial",
      (r) => `${r.apiRequestsPerTrial.toFixed(1)} / ${r.operatorWritesPerTrial.toFixed(1)}`,
    ],
    [
      "largest TuningJob / Trial",
      (r) => r.largest.map((l) => `${(l.bytes / 1024).toFixed(1)} KiB`).join(" / "),
    ],
    ["etcd storage (API server's apiserver_storage_size_bytes)", (r) => mibText(r.storageBytes)],
    [
      "SIGKILL restart: at / ready / first new Trial",
      (r) =>
        r.restart
          ? `${r.restart.atFinished.toLocaleString("en")} finished / ${seconds(r.restart.readyMs)} / ${seconds(r.restart.firstTrialMs)}`
          : "—",
    ],
    [
      "every index once, none lost",
      (r) =>
        r.trialsIntact
          ? `yes (${r.created.toLocaleString("en")})`
          : `NO (${r.created.toLocaleString("en")} Trials)`,
    ],
    [
      "CPU seconds: operator / apiserver / etcd / controller-manager / scheduler / kwok",
      (r) =>
        ["operator", "kube-apiserver", "etcd", "kube-controller-manager", "kube-scheduler", "kwok"]
          .map((n) => (r.cpuSeconds[n] ?? Number.NaN).toFixed(0))
          .join(" / "),
    ],
  ];
  return markdownTable(
    "One TuningJob on KWOK",
    ["", ...results.map((r) => `${r.options.strategy}, parallelism ${r.options.parallelism}`)],
    rows.map(([label, cell]) => [label, ...results.map(cell)]),
  );
}

export function manyJobsTable(r: ManyJobsResult): string {
  const o = r.options;
  const rows: [string, string][] = [
    [
      "TuningJobs × trials (namespaces)",
      `${o.jobs} × ${o.trialsPerJob} (${o.namespaces}), parallelism ${o.parallelismPerJob} each, TPE and Random alternately`,
    ],
    ["finished trials / jobs complete", `${r.finished.toLocaleString("en")} / ${r.completedJobs}`],
    [
      "wall time",
      `${seconds(r.elapsedMs)}${r.completedJobs === o.jobs ? "" : ` (cut at ${o.maxMinutes} min)`}`,
    ],
    [
      "reconcile p50 / p99, TuningJob",
      `${r.reconcileMs.tuningjob?.p50.toFixed(1)} / ${r.reconcileMs.tuningjob?.p99.toFixed(1)} ms`,
    ],
    [
      "reconcile p50 / p99, Trial",
      `${r.reconcileMs.trial?.p50.toFixed(1)} / ${r.reconcileMs.trial?.p99.toFixed(1)} ms`,
    ],
    [
      "TuningJob queue depth p50 / p99 / max (5 s samples)",
      `${r.queueDepth.p50} / ${r.queueDepth.p99} / ${r.queueDepth.max}`,
    ],
    [
      "pod finished → the job's next trial's Job, p50 / p99",
      `${(r.refillMs.p50 / 1000).toFixed(2)} / ${(r.refillMs.p99 / 1000).toFixed(2)} s`,
    ],
    ["slowest job's progress ÷ median's", `${r.fairness.ratio.toFixed(2)} at ${r.fairness.at}`],
    ["operator RSS peak", mibText(r.peakRssBytes)],
  ];
  return markdownTable("Many TuningJobs at once on KWOK", ["", "measured"], rows);
}

export function localTable(r: LocalRunResult): string {
  const o = r.options;
  const rows: [string, string][] = [
    [
      "trials finished / asked",
      `${r.finished.toLocaleString("en")} / ${o.trials.toLocaleString("en")}, parallelism ${o.parallelism}`,
    ],
    ["wall time", seconds(r.elapsedMs)],
    ...r.windows.map((w, i): [string, string] => [
      `planning per trial, trials ${(i === 0 ? 0 : (r.windows[i - 1] as { finished: number }).finished).toLocaleString("en")}–${w.finished.toLocaleString("en")} (RSS at the end)`,
      `${w.planMsPerTrial.toFixed(2)} ms (${mibText(w.rssBytes)})`,
    ]),
    ["peak RSS (the bench process, which runs the runner)", mibText(r.peakRssBytes)],
    ["state folder / trials.jsonl lines", `${mibText(r.stateBytes)} / ${r.eventLines.toLocaleString("en")}`],
  ];
  return markdownTable(
    `Local: hypertune run's runner, ${o.strategy}, \`/bin/echo loss=…\` trials`,
    ["", "measured"],
    rows,
  );
}
