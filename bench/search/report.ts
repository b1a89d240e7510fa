/** The benchmark's Markdown: regret, ranks, significance, latency, memory, early stopping, aims. */
import type { BenchConfig } from "./jobs.js";
import { PROBLEMS, type Problem } from "./problems.js";
import { ARMS, type Gathered, logRegretAt, logRegrets, trialsOf } from "./results.js";
import { mannWhitney, median, quantile } from "./stats.js";

const ALPHA = 0.1;
const fmt = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : "—");
const table = (header: string[], rows: string[][]) =>
  [
    `| ${header.join(" | ")} |`,
    `|${header.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");

function regretTables(g: Gathered, c: BenchConfig): string[] {
  return PROBLEMS.map((problem) => {
    const rows = ARMS.map((arm) => [
      arm.label,
      ...c.checkpoints.map((n) => {
        const v = logRegrets(g, arm.label, problem, n);
        return v ? `${fmt(median(v))} [${fmt(quantile(v, 0.25))}, ${fmt(quantile(v, 0.75))}]` : "—";
      }),
    ]);
    return `### ${problem.name}\n\n${table(["arm", ...c.checkpoints.map((n) => `n = ${n}`)], rows)}`;
  });
}

/** Mean over problems of each arm's rank (1 = best median log regret; ties share ranks) at n. */
export function meanRanks(g: Gathered, n: number): Map<string, number> {
  const sums = new Map<string, number>();
  for (const problem of PROBLEMS) {
    const medians = ARMS.flatMap((arm) => {
      const v = logRegrets(g, arm.label, problem, n);
      return v ? [{ label: arm.label, m: median(v) }] : [];
    });
    for (const { label, m } of medians) {
      const better = medians.filter((o) => o.m < m).length;
      const same = medians.filter((o) => o.m === m).length;
      sums.set(label, (sums.get(label) ?? 0) + better + (same + 1) / 2);
    }
  }
  return new Map([...sums].map(([label, s]) => [label, s / PROBLEMS.length]));
}

interface Verdict {
  outcome: "W" | "T" | "L";
  p: number;
}

export function compare(
  g: Gathered,
  ours: string,
  theirs: string,
  problem: Problem,
  n: number,
): Verdict | undefined {
  const a = logRegrets(g, ours, problem, n);
  const b = logRegrets(g, theirs, problem, n);
  if (!a || !b) return undefined;
  const { p } = mannWhitney(a, b);
  if (p >= ALPHA) return { outcome: "T", p };
  return { outcome: median(a) < median(b) ? "W" : "L", p };
}

export const PAIRS: [string, string][] = [
  ["hypertune TPE", "Optuna TPE"],
  ["hypertune Auto", "Optuna TPE"],
  ["hypertune Bayesian", "Optuna GP"],
  ["hypertune Random", "Optuna Random"],
  ["hypertune Sobol", "Optuna QMC"],
  ["hypertune CMAES", "Optuna TPE"],
];

const finalN = (c: BenchConfig, ours: string, theirs: string) =>
  Math.min(...[ours, theirs].map((l) => trialsOf(c, ARMS.find((a) => a.label === l)?.gp ?? false)));

function significanceTable(g: Gathered, c: BenchConfig): string {
  const rows = PAIRS.map(([ours, theirs]) => {
    const n = finalN(c, ours, theirs);
    const verdicts = PROBLEMS.map((p) => compare(g, ours, theirs, p, n));
    const count = (o: string) => verdicts.filter((v) => v?.outcome === o).length;
    return [
      `${ours} vs ${theirs} (n = ${n})`,
      ...verdicts.map((v) => (v ? `${v.outcome} (p=${fmt(v.p, 3)})` : "—")),
      `${count("W")}/${count("T")}/${count("L")}`,
    ];
  });
  return table(
    ["hypertune vs Optuna", ...PROBLEMS.map((p) => p.name.split(" ")[0] as string), "W/T/L"],
    rows,
  );
}

function significanceByCheckpoint(g: Gathered, c: BenchConfig): string {
  const rows = PAIRS.map(([ours, theirs]) => [
    `${ours} vs ${theirs}`,
    ...c.checkpoints.map((n) => {
      const verdicts = PROBLEMS.map((p) => compare(g, ours, theirs, p, n)).filter((v) => v !== undefined);
      if (verdicts.length === 0) return "—";
      const count = (o: string) => verdicts.filter((v) => v.outcome === o).length;
      return `${count("W")}/${count("T")}/${count("L")}`;
    }),
  ]);
  return table(["W/T/L over the problems", ...c.checkpoints.map((n) => `n = ${n}`)], rows);
}

function latencyTable(g: Gathered, c: BenchConfig): string {
  const sizes = c.latency.sizes;
  const rows = [...g.latency].map(([label, cells]) => [
    label,
    ...sizes.map((n) => {
      const ms = cells.get(n);
      return ms ? `${fmt(median(ms), 2)} / ${fmt(quantile(ms, 0.99), 2)}` : "—";
    }),
  ]);
  return table(["arm", ...sizes.map((n) => `n = ${n.toLocaleString("en")}: p50 / p99 ms`)], rows);
}

function processTable(g: Gathered): string {
  const rows = [...g.processes]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, p]) => [label, fmt(p.maxRssKb / 1024, 0), fmt(p.seconds, 0)]);
  return table(["arm (its processes)", "peak RSS (MiB)", "wall time (s, all its jobs)"], rows);
}

export interface FidelityRow {
  label: string;
  reached: number;
  seeds: number;
  medianResource: number;
  medianTrials: number;
  medianFinalRegret: number;
}

/** Per seed, the resource spent when the best full-fidelity value first came within `target` regret. */
export function fidelityRows(g: Gathered, c: BenchConfig, target: number): FidelityRow[] {
  const optimum = PROBLEMS.find((p) => p.id === "hartmann6")?.optimum ?? 0;
  const rows: FidelityRow[] = [];
  // Full-budget random search for reference: every trial costs maxStep.
  const random = g.regret.get("hypertune Random")?.get("hartmann6") ?? [];
  const asTrials = random.map((values) => values.map((v) => ({ steps: c.maxStep, final: v })));
  for (const [label, runs] of [["hypertune Random, no stopping", asTrials], ...g.fidelity] as const) {
    const resources: number[] = [];
    const counts: number[] = [];
    const finals: number[] = [];
    for (const trials of runs) {
      let spent = 0;
      let best = Number.POSITIVE_INFINITY;
      let reachedAt = Number.POSITIVE_INFINITY;
      let trialsAt = Number.POSITIVE_INFINITY;
      trials.forEach((t, i) => {
        spent += t.steps;
        if (t.final !== null) best = Math.min(best, t.final);
        if (reachedAt === Number.POSITIVE_INFINITY && best - optimum <= target) {
          reachedAt = spent;
          trialsAt = i + 1;
        }
      });
      resources.push(reachedAt);
      counts.push(trialsAt);
      finals.push(logRegretAt([best], 1, optimum));
    }
    rows.push({
      label,
      reached: resources.filter(Number.isFinite).length,
      seeds: runs.length,
      medianResource: median(resources),
      medianTrials: median(counts),
      medianFinalRegret: median(finals),
    });
  }
  return rows;
}

function fidelitySection(g: Gathered, c: BenchConfig, target: number): string {
  const rows = fidelityRows(g, c, target).map((r) => [
    r.label,
    `${r.reached}/${r.seeds}`,
    Number.isFinite(r.medianResource) ? fmt(r.medianResource, 0) : `> ${c.resourceCap}`,
    Number.isFinite(r.medianResource) ? fmt(r.medianResource / c.resourceCap, 3) : "> 1",
    Number.isFinite(r.medianTrials) ? fmt(r.medianTrials, 0) : "—",
    fmt(r.medianFinalRegret),
  ]);
  return table(
    [
      "arm (random sampling)",
      "seeds reaching the target",
      "median resource to reach it (steps)",
      `fraction of ${c.resourceCap}`,
      "median trials to reach it",
      `median log10 regret after ${c.resourceCap} steps`,
    ],
    rows,
  );
}

/** log10 regret of full-budget random search at its last trial, median over seeds: ASHA's target. */
export function fidelityTarget(g: Gathered, c: BenchConfig): number {
  const hartmann = PROBLEMS.find((p) => p.id === "hartmann6") as Problem;
  return median(logRegrets(g, "hypertune Random", hartmann, c.trials) ?? [Number.NaN]);
}

export function renderReport(g: Gathered, c: BenchConfig, context: string[], aims: string[]): string {
  const target = fidelityTarget(g, c);
  const ranks = c.checkpoints.map((n) => meanRanks(g, n));
  const rankRows = ARMS.map((arm) => [arm.label, ...ranks.map((r) => fmt(r.get(arm.label) ?? Number.NaN))]);
  const autoChoices = [...g.autoChoice].map(([id, s]) => `${id}: ${[...s].join("/")}`).join(", ");
  return [
    `# Search benchmark: hypertune vs Optuna ${g.optunaVersion}`,
    "",
    ...context,
    "",
    "## Aims (issue 5)",
    "",
    ...aims,
    "",
    "## Simple regret: median [IQR] of log10(best − optimum) over seeds",
    "",
    `Lower is better; ${fmt(Math.log10(1e-12), 0)} is the floor (the optimum found to 1e-12). hypertune's Auto chose: ${autoChoices}.`,
    "",
    ...regretTables(g, c).flatMap((t) => [t, ""]),
    "## Mean rank of each arm's median log10 regret over the problems (1 = best; GP arms stop at their budget)",
    "",
    table(["arm", ...c.checkpoints.map((n) => `n = ${n}`)], rankRows),
    "",
    `## Mann–Whitney U, two-sided, α = ${ALPHA}: W = hypertune significantly better, L = worse, T = no significant difference`,
    "",
    `Six pairs × ${PROBLEMS.length} problems at α = ${ALPHA}: about one test in ten comes out "significant" by chance ` +
      "when the two arms are equally good (Random vs Random is the control).",
    "",
    "At each pair's final budget:",
    "",
    significanceTable(g, c),
    "",
    "At each checkpoint:",
    "",
    significanceByCheckpoint(g, c),
    "",
    "## Suggestion latency on Hartmann-6, history of n random trials (one suggestion per call)",
    "",
    latencyTable(g, c),
    "",
    "## Peak RSS and time per arm",
    "",
    "Each arm's processes: one Node process (with tsx) per hypertune job, one Python process per Optuna job; " +
      "the runtime's own footprint is included (an empty Node+tsx process is ~100 MiB, Python with Optuna ~45 MiB, torch adds more).",
    "",
    processTable(g),
    "",
    `## Early stopping on multi-fidelity Hartmann-6 (${c.maxStep} steps, η = 3, minResource 1)`,
    "",
    `Target: the median log10 regret of full-budget random search at n = ${c.trials} (${c.trials} × ${c.maxStep} = ${c.resourceCap} steps): ${fmt(target)}. ` +
      "Every arm samples at random (same seed, same points in the same order on each side); the rules decide which trials run on. " +
      "A trial's value counts once it ran every step. The first row is that random search itself: by construction about half " +
      "its seeds reach the target within the budget. hypertune's ASHA judges a trial on its value at the first report at or past " +
      "each rung (rungs 1, 3, 9; none at the full 27), against every value recorded there, Optuna's promotion rule; " +
      "Optuna's pruners are run with should_prune() skipped at the last step, as hypertune never stops a trial there.",
    "",
    fidelitySection(g, c, 10 ** target),
    "",
  ].join("\n");
}
