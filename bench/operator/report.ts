// Markdown tables of the results, printed and written to bench/results/operator.md.
import type { BaselineResult } from "./baseline.js";
import type { OverheadResult } from "./overhead-run.js";
import { mib } from "./process-memory.js";
import type { ScaleResult } from "./scale-run.js";
import { fmt } from "./stats.js";

export interface Environment {
  date: string;
  commit: string;
  node: string;
  cores: number;
  loadBefore: string;
  loadAfter: string;
}

const verdict = (ok: boolean) => (ok ? "met" : "**missed**");
const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
const s = (ms: number) => `${fmt(ms / 1000, 1)} s`;

export function environmentTable(env: Environment): string {
  return [
    row(["Commit", "Node", "Cores", "Load average before → after (1/5/15 min)", "Date"]),
    row(["---", "---", "---", "---", "---"]),
    row([env.commit, env.node, `${env.cores}`, `${env.loadBefore} → ${env.loadAfter}`, env.date]),
  ].join("\n");
}

export function overheadTable(o: OverheadResult, b: BaselineResult | undefined): string {
  const lines = [
    row(["Measure", "Value", "Aim", ""]),
    row(["---", "---", "---", "---"]),
    row([
      "Overhead p50 (pod finished → next Job)",
      `${fmt(o.overheadMs.p50)} ms`,
      "≤ 50 ms",
      verdict(o.overheadMs.p50 <= 50),
    ]),
    row(["Overhead p99", `${fmt(o.overheadMs.p99)} ms`, "≤ 500 ms", verdict(o.overheadMs.p99 <= 500)]),
    row([
      "… of which pod finished → Trial finished, p50 / p99",
      `${fmt(o.noticeMs.p50)} / ${fmt(o.noticeMs.p99)} ms`,
      "",
      "",
    ]),
    row([
      "… of which Trial finished → next Job, p50 / p99",
      `${fmt(o.refillMs.p50)} / ${fmt(o.refillMs.p99)} ms`,
      "",
      "",
    ]),
    row(["API writes per trial", fmt(o.writesPerTrial, 2), "", ""]),
    row(["Wall time, TuningJob created → Complete", s(o.wallMs), "", ""]),
    row(["Wall time, first Job → last pod finished", s(o.jobsWallMs), "", ""]),
  ];
  if (b) {
    lines.push(
      row([
        "Baseline: one plain Job end to end, p50 / p99",
        `${fmt(b.endToEndMs.p50)} / ${fmt(b.endToEndMs.p99)} ms`,
        "",
        "",
      ]),
      row([
        "Baseline: pod finished → Job condition Complete, p50 / p99",
        `${fmt(b.jobConditionMs.p50)} / ${fmt(b.jobConditionMs.p99)} ms`,
        "",
        "",
      ]),
      row([`Ideal = ${o.trials} / ${o.parallelism} × baseline p50`, s(b.idealMs), "", ""]),
      row(["Baseline wall time (bench creates the Jobs)", s(b.wallMs), "", ""]),
      row(["Operator wall time / ideal", `${fmt(o.wallMs / b.idealMs, 2)}×`, "", ""]),
      row(["Operator wall time / baseline wall time", `${fmt(o.wallMs / b.wallMs, 2)}×`, "", ""]),
    );
  }
  lines.push(
    row(["Operator peak RSS (VmHWM)", `${fmt(mib(o.peakRssBytes))} MiB`, "", ""]),
    row([
      "Reconcile p50 / p99 (histogram), tuningjob · trial",
      `${fmt(o.reconcileMs.tuningjob?.p50 ?? Number.NaN, 1)} / ${fmt(o.reconcileMs.tuningjob?.p99 ?? Number.NaN, 1)} · ${fmt(o.reconcileMs.trial?.p50 ?? Number.NaN, 1)} / ${fmt(o.reconcileMs.trial?.p99 ?? Number.NaN, 1)} ms`,
      "",
      "",
    ]),
  );
  const kinds = Object.entries(o.writesByKind).sort((x, y) => y[1] - x[1]);
  lines.push("", row(["API writes by kind", "Total", "Per trial"]), row(["---", "---", "---"]));
  for (const [kind, n] of kinds) lines.push(row([kind, `${n}`, fmt(n / o.trials, 2)]));
  return lines.join("\n");
}

export function scaleTable(r: ScaleResult): string {
  const last = r.samples.at(-1);
  const finished = last?.finished ?? 0;
  const reached = finished >= r.target;
  const lines = [
    row(["Measure", "Value", "Aim", ""]),
    row(["---", "---", "---", "---"]),
    row([
      "TuningJobs × maxTrials (parallelism each)",
      `${r.tuningJobs} × ${r.trialsPerJob} (${r.parallelismPerJob})`,
      "",
      "",
    ]),
    row(["Run time", s(r.elapsedMs), "", ""]),
    row([
      "Trials created / finished",
      `${last?.trials ?? 0} / ${finished}`,
      `${r.target}`,
      reached ? "all" : "time-boxed",
    ]),
    row(["TuningJobs Complete", `${r.completedJobs} / ${r.tuningJobs}`, "", ""]),
    row(["Throughput", `${fmt(r.rate, 2)} trials/s`, "", ""]),
  ];
  if (!reached)
    lines.push(
      row([`EXTRAPOLATED: time for ${r.target} trials at that rate`, s((r.target / r.rate) * 1000), "", ""]),
    );
  for (const l of r.largest)
    lines.push(
      row([
        `Largest ${l.kind} (of ${l.count}), \`kubectl get --raw\``,
        `${fmt(l.bytes / 1024, 1)} KiB (${l.name})`,
        "< 100 KB",
        verdict(l.bytes < 100_000),
      ]),
    );
  lines.push(
    row([
      "Operator peak RSS (VmHWM) in this run",
      `${fmt(mib(r.peakRssBytes))} MiB at ≤ ${last?.trials ?? 0} Trials`,
      "",
      "",
    ]),
    row([
      "RSS growth per Trial (fit, second half of samples)",
      `${fmt(r.rssBytesPerTrial / 1024, 1)} KiB`,
      "",
      "",
    ]),
  );
  if (reached)
    lines.push(
      row([
        `Operator RSS at ${r.target} Trials (measured)`,
        `${fmt(mib(r.peakRssBytes))} MiB`,
        "≤ 200 MB",
        verdict(r.peakRssBytes <= 200e6),
      ]),
    );
  else
    lines.push(
      row([
        `EXTRAPOLATED: operator RSS at ${r.target} Trials`,
        `${fmt(mib(r.rssAtTargetBytes))} MiB`,
        "≤ 200 MB",
        `${verdict(r.rssAtTargetBytes <= 200e6)} (extrapolated)`,
      ]),
    );
  for (const [controller, q] of Object.entries(r.reconcileMs))
    lines.push(
      row([
        `Reconcile latency, ${controller}, p50 / p99 (histogram)`,
        `${fmt(q.p50, 1)} / ${fmt(q.p99, 1)} ms`,
        "",
        "",
      ]),
    );
  lines.push("", row(["t", "Trials", "finished", "RSS"]), row(["---", "---", "---", "---"]));
  const step = Math.max(1, Math.ceil(r.samples.length / 12));
  r.samples.forEach((x, i) => {
    if (i % step === 0 || i === r.samples.length - 1)
      lines.push(row([s(x.atMs), `${x.trials}`, `${x.finished}`, `${fmt(mib(x.rssBytes))} MiB`]));
  });
  return lines.join("\n");
}
