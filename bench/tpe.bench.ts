/**
 * TPE's time per suggestion (µs) by history size, p50 and p99 over many
 * calls, on the 6-parameter mixed space of `suggest.bench.ts` plus a
 * continuous 6-D space, with the job's memo kept across calls as the backends
 * keep it. Aims: p50 ≤ 1 ms at n = 100 and ≤ 5 ms at n = 1,000 (issue 5);
 * ≤ 5 ms at 10,000 and ≤ 20 ms at 50,000 (issue 11). Prints a table; asserts nothing. Run: `npx tsx bench/tpe.bench.ts`
 * (sizes and calls: BENCH_TPE_SIZES, BENCH_TPE_CALLS).
 */
import { pathToFileURL } from "node:url";
import type { Parameter, TrialObservation, TuningJobSpec } from "../src/api/index.js";
import { createSearchSpace, type SearchSpace } from "../src/space/index.js";
import { type Strategy, tpeStrategy } from "../src/strategies/index.js";
import { lossSpec } from "../test/support/loss-spec.js";
import { percentile } from "../test/support/stats.js";
import { MIXED_PARAMETERS, markdownTable, randomPoints, suggestOne, syntheticLoss } from "./timing.js";

// BENCH_TPE_SIZES=10000,50000 BENCH_TPE_CALLS=20 measures the sizes of issue 11.
const HISTORY_SIZES = (process.env.BENCH_TPE_SIZES ?? "100,1000").split(",").map(Number);
const CALLS = Number(process.env.BENCH_TPE_CALLS ?? 200);
const SEED = 42;

const CONTINUOUS: Parameter[] = Array.from({ length: 6 }, (_, i) => ({
  name: `x${i}`,
  type: "Float" as const,
  min: 0,
  max: 1,
  scale: "Linear" as const,
}));

function history(space: SearchSpace, spec: TuningJobSpec, size: number): TrialObservation[] {
  return randomPoints(space, spec, size, SEED).map((values, index) => ({
    index,
    parameters: values ?? {},
    phase: "Succeeded",
    history: [],
    metrics: { loss: syntheticLoss(index) },
    createdAt: index,
  }));
}

function timeCalls(strategy: Strategy, space: SearchSpace, spec: TuningJobSpec, trials: TrialObservation[]) {
  // The job's memo, as the operator and the local runner keep it between plans.
  const suggest = suggestOne(strategy, space, spec, trials, SEED, new Map());
  const ask = (call: number) => suggest(trials.length + call);
  for (let call = 0; call < Math.min(30, CALLS); call++) ask(call);
  const times: number[] = [];
  for (let call = 0; call < CALLS; call++) {
    const start = performance.now();
    ask(call);
    times.push((performance.now() - start) * 1000);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

export async function runTpeBench(): Promise<string> {
  const rows: string[][] = [];
  for (const [name, parameters] of [
    ["mixed 6-parameter (conditional)", MIXED_PARAMETERS],
    ["continuous 6-D", CONTINUOUS],
  ] as const) {
    const spec = lossSpec(parameters, { seed: SEED });
    const space = createSearchSpace(spec.parameters);
    for (const size of HISTORY_SIZES) {
      const { p50, p99 } = timeCalls(tpeStrategy, space, spec, history(space, spec, size));
      rows.push([name, size.toLocaleString("en"), p50.toFixed(0), p99.toFixed(0)]);
    }
  }
  return markdownTable(
    "TPE suggestion time (µs, one suggestion per call)",
    ["space", "trials", "p50", "p99"],
    rows,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await runTpeBench());
}
