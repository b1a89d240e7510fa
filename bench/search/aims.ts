/** Issue 5's aims, each checked against the numbers and said plainly, met or not. */
import type { BenchConfig } from "./jobs.js";
import { PROBLEMS } from "./problems.js";
import { compare, fidelityRows, fidelityTarget, meanRanks } from "./report.js";
import type { Gathered } from "./results.js";
import { median } from "./stats.js";

const verdict = (met: boolean) => (met ? "**met**" : "**missed**");

function outcomes(g: Gathered, ours: string, theirs: string, n: number) {
  const v = PROBLEMS.map((p) => compare(g, ours, theirs, p, n)?.outcome);
  return {
    w: v.filter((o) => o === "W").length,
    t: v.filter((o) => o === "T").length,
    l: v.filter((o) => o === "L").length,
  };
}

const p50 = (g: Gathered, label: string, n: number) => {
  const ms = g.latency.get(label)?.get(n);
  return ms ? median(ms) : Number.NaN;
};

export function aims(g: Gathered, c: BenchConfig): string[] {
  const count = PROBLEMS.length;
  const lines: string[] = [];

  const tpe = outcomes(g, "hypertune TPE", "Optuna TPE", c.trials);
  const notWorse = count - tpe.l;
  lines.push(
    `- TPE not significantly worse than Optuna's TPE on ≥ 7 of 8 problems: not worse on ${notWorse} of ${count} ` +
      `(W/T/L ${tpe.w}/${tpe.t}/${tpe.l} at n = ${c.trials}; this run has ${count} single-objective problems, ` +
      `so the same ratio needs ${Math.ceil((7 / 8) * count)}): ${verdict(notWorse >= Math.ceil((7 / 8) * count))}.`,
  );

  const auto = outcomes(g, "hypertune Auto", "Optuna TPE", c.trials);
  const ranks = meanRanks(g, c.trials);
  const autoRank = ranks.get("hypertune Auto") ?? Number.NaN;
  const tpeRank = ranks.get("Optuna TPE") ?? Number.NaN;
  lines.push(
    `- Auto wins significantly against Optuna's default (TPE) on ≥ 3 problems and has the better mean rank: ` +
      `${auto.w} wins (W/T/L ${auto.w}/${auto.t}/${auto.l}), mean rank ${autoRank.toFixed(2)} vs ${tpeRank.toFixed(2)} ` +
      `at n = ${c.trials} (Auto chose ${[...g.autoChoice].map(([id, s]) => `${[...s].join("/")} on ${id}`).join(", ")}): ` +
      `${verdict(auto.w >= 3 && autoRank < tpeRank)}.`,
  );

  const gp = outcomes(g, "hypertune Bayesian", "Optuna GP", c.gpTrials);
  const gpLatencyN = c.latency.gpSizes[0] ?? 100;
  const bayesP50 = p50(g, "hypertune Bayesian", gpLatencyN);
  const optunaGpP50 = p50(g, "Optuna GP", gpLatencyN);
  lines.push(
    `- Bayesian matches GPSampler at n = ${c.gpTrials} (no significant loss) with p50 ≤ 100 ms at n = ${gpLatencyN}: ` +
      `W/T/L ${gp.w}/${gp.t}/${gp.l} over ${count} problems (${c.gpSeeds.length} seeds each), ` +
      `p50 ${bayesP50.toFixed(1)} ms (Optuna GP ${optunaGpP50.toFixed(1)} ms): ${verdict(gp.l === 0 && bayesP50 <= 100)}.`,
  );

  const [small, large] = c.latency.sizes;
  const tpeSmall = p50(g, "hypertune TPE", small ?? 100);
  const tpeLarge = p50(g, "hypertune TPE", large ?? 1000);
  lines.push(
    `- TPE suggestion p50 ≤ 1 ms at n = ${small} and ≤ 5 ms at n = ${large}: ${tpeSmall.toFixed(2)} ms and ` +
      `${tpeLarge.toFixed(2)} ms (Optuna TPE ${p50(g, "Optuna TPE", small ?? 100).toFixed(2)} and ` +
      `${p50(g, "Optuna TPE", large ?? 1000).toFixed(2)} ms): ${verdict(tpeSmall <= 1 && tpeLarge <= 5)}.`,
  );

  const target = fidelityTarget(g, c);
  const asha = fidelityRows(g, c, 10 ** target).find((r) => r.label === "hypertune ASHA");
  const fraction = asha ? asha.medianResource / c.resourceCap : Number.NaN;
  lines.push(
    `- ASHA reaches full-budget random search's regret at n = ${c.trials} with ≤ 1/3 of its resource: ` +
      `median ${Number.isFinite(fraction) ? fraction.toFixed(3) : "> 1"} of ${c.resourceCap} steps ` +
      `(${asha?.reached ?? 0}/${asha?.seeds ?? 0} seeds reach it within ${c.resourceCap}): ${verdict(fraction <= 1 / 3)}.`,
  );
  return lines;
}
