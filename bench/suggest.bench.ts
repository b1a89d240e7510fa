/**
 * Time per suggestion of the history-free strategies (Random, Sobol, Grid)
 * with 10 to 10,000 finished trials in the history, on a 6-parameter mixed
 * space. Run: `npx tsx bench/suggest.bench.ts`. These strategies ignore the
 * history, so flat rows are the expected result; the table is the baseline
 * the model-based strategies (TPE, GP) will be compared with.
 */
import { pathToFileURL } from "node:url";
import { type Parameter, type TrialObservation, TuningJobSpec } from "../src/api/index.js";
import { createSearchSpace, type SearchSpace } from "../src/space/index.js";
import { gridStrategy, randomStrategy, type Strategy, sobolStrategy } from "../src/strategies/index.js";

const HISTORY_SIZES = [10, 100, 1_000, 10_000];
const WARM_UP_CALLS = 3_000;
const REPETITIONS = 21;
const CALLS_PER_REPETITION = 1_000;
const SEED = 42;

/** Every type, a log scale, a step and a condition; discrete throughout so that Grid can run on it too. */
const PARAMETERS: Parameter[] = [
  { name: "lr", type: "Discrete", values: [1e-4, 3e-4, 1e-3, 3e-3, 1e-2] },
  { name: "dropout", type: "Float", min: 0, max: 0.5, scale: "Linear", step: 0.05 },
  { name: "layers", type: "Int", min: 1, max: 8, scale: "Linear", step: 1 },
  { name: "units", type: "Int", min: 16, max: 512, scale: "Log", step: 16 },
  { name: "optimizer", type: "Categorical", values: ["adam", "sgd", "rmsprop"] },
  {
    name: "momentum",
    type: "Float",
    min: 0.5,
    max: 0.95,
    scale: "Linear",
    step: 0.05,
    when: { optimizer: "sgd" },
  },
];

const STRATEGIES: Strategy[] = [randomStrategy, sobolStrategy, gridStrategy];

function benchSpec(): TuningJobSpec {
  return TuningJobSpec.parse({
    objective: { metric: "loss", direction: "Minimize" },
    parameters: PARAMETERS,
    search: { seed: SEED },
    limits: { maxTrials: 100_000 },
    trialTemplate: { job: { template: { spec: { containers: [{ name: "train", image: "train:1" }] } } } },
  });
}

/** Finished trials with parameters from Random and a made-up loss, as the engine would pass them. */
function syntheticHistory(space: SearchSpace, spec: TuningJobSpec, size: number): TrialObservation[] {
  const indices = Array.from({ length: size }, (_, i) => i);
  const parameters = randomStrategy.suggest({
    space,
    history: [],
    indices,
    seed: SEED,
    objectives: [],
    spec,
  });
  return parameters.map((values, index) => {
    const loss = 1 / (1 + index) + ((index * 7919) % 101) / 1000;
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
  const objectives = [{ name: "loss", direction: "Minimize" as const, reduction: "Last" as const }];
  const ask = (call: number) =>
    strategy.suggest({
      space,
      history,
      indices: [history.length + (call % 64)],
      seed: SEED,
      objectives,
      spec,
    });
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
  const spec = benchSpec();
  const space = createSearchSpace(spec.parameters);
  const histories = HISTORY_SIZES.map((size) => syntheticHistory(space, spec, size));
  const header = `| strategy | ${HISTORY_SIZES.map((n) => `${n.toLocaleString("en")} trials`).join(" | ")} |`;
  const rule = `|---|${HISTORY_SIZES.map(() => "---:").join("|")}|`;
  // One untimed pass over everything first, so no cell is measured while the JIT is still compiling.
  for (const strategy of STRATEGIES)
    for (const history of histories) timeSuggestion(strategy, space, spec, history);
  const rows = STRATEGIES.map((strategy) => {
    const cells = histories.map((history) => timeSuggestion(strategy, space, spec, history).toFixed(2));
    return `| ${strategy.name} | ${cells.join(" | ")} |`;
  });
  const title = "Suggestion time (µs per suggestion, median of repetitions, 6-parameter mixed space)";
  return [title, "", header, rule, ...rows].join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await runSuggestBench());
}
