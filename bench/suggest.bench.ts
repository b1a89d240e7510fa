/**
 * Time per suggestion of the history-free strategies (Random, Sobol, Grid)
 * with 10 to 10,000 finished trials in the history, on a 6-parameter mixed
 * space. Run: `npx tsx bench/suggest.bench.ts`. These strategies ignore the
 * history, so flat rows are the expected result; the table is the baseline
 * the model-based strategies (TPE, GP) will be compared with.
 */
import { pathToFileURL } from "node:url";
import type { TrialObservation, TuningJobSpec } from "../src/api/index.js";
import { createSearchSpace, type SearchSpace } from "../src/space/index.js";
import { gridStrategy, randomStrategy, type Strategy, sobolStrategy } from "../src/strategies/index.js";
import { lossSpec } from "../test/support/loss-spec.js";
import { MIXED_PARAMETERS, markdownTable, randomPoints, suggestOne, syntheticLoss } from "./timing.js";

const HISTORY_SIZES = [10, 100, 1_000, 10_000];
const WARM_UP_CALLS = 3_000;
const REPETITIONS = 21;
const CALLS_PER_REPETITION = 1_000;
const SEED = 42;

const STRATEGIES: Strategy[] = [randomStrategy, sobolStrategy, gridStrategy];

/** Finished trials with parameters from Random and a made-up loss, as the engine would pass them. */
function syntheticHistory(space: SearchSpace, spec: TuningJobSpec, size: number): TrialObservation[] {
  return randomPoints(space, spec, size, SEED).map((values, index) => {
    const loss = syntheticLoss(index);
    return {
      index,
      parameters: values ?? {},
      phase: "Succeeded",
      history: [{ step: 1, values: { loss } }],
      metrics: { loss },
      createdAt: index * 1000,
      finishedAt: index * 1000 + 500,
    };
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Median over repetitions of the mean time of one suggestion, in microseconds. */
function timeSuggestion(
  strategy: Strategy,
  space: SearchSpace,
  spec: TuningJobSpec,
  history: TrialObservation[],
) {
  const suggest = suggestOne(strategy, space, spec, history, SEED);
  const ask = (call: number) => suggest(history.length + (call % 64));
  for (let call = 0; call < WARM_UP_CALLS; call++) ask(call);
  const perSuggestion: number[] = [];
  for (let repetition = 0; repetition < REPETITIONS; repetition++) {
    const start = performance.now();
    for (let call = 0; call < CALLS_PER_REPETITION; call++) ask(call);
    perSuggestion.push(((performance.now() - start) * 1000) / CALLS_PER_REPETITION);
  }
  return median(perSuggestion);
}

export async function runSuggestBench(): Promise<string> {
  const spec = lossSpec(MIXED_PARAMETERS, { seed: SEED });
  const space = createSearchSpace(spec.parameters);
  const histories = HISTORY_SIZES.map((size) => syntheticHistory(space, spec, size));
  // One untimed pass over everything first, so no cell is measured while the JIT is still compiling.
  for (const strategy of STRATEGIES)
    for (const history of histories) timeSuggestion(strategy, space, spec, history);
  const rows = STRATEGIES.map((strategy) => {
    const cells = histories.map((history) => timeSuggestion(strategy, space, spec, history).toFixed(2));
    return [strategy.name, ...cells];
  });
  const title = "Suggestion time (µs per suggestion, median of repetitions, 6-parameter mixed space)";
  const columns = ["strategy", ...HISTORY_SIZES.map((n) => `${n.toLocaleString("en")} trials`)];
  return markdownTable(title, columns, rows);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await runSuggestBench());
}
