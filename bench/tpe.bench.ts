/**
 * TPE's time per suggestion (µs) by history size, p50 and p99 over many
 * calls, on the 6-parameter mixed space of `suggest.bench.ts` plus a
 * continuous 6-D space. Aims (issue 5): p50 ≤ 1 ms at n = 100 and ≤ 5 ms at
 * n = 1,000. Prints a table; asserts nothing. Run: `npx tsx bench/tpe.bench.ts`.
 */
import { pathToFileURL } from "node:url";
import { type Parameter, type TrialObservation, TuningJobSpec } from "../src/api/index.js";
import { createSearchSpace, type SearchSpace } from "../src/space/index.js";
import { randomStrategy, type Strategy, tpeStrategy } from "../src/strategies/index.js";

const HISTORY_SIZES = [100, 1_000];
const CALLS = 200;
const SEED = 42;

const MIXED: Parameter[] = [
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
const CONTINUOUS: Parameter[] = Array.from({ length: 6 }, (_, i) => ({
  name: `x${i}`,
  type: "Float" as const,
  min: 0,
  max: 1,
  scale: "Linear" as const,
}));

function specFor(parameters: Parameter[]): TuningJobSpec {
  return TuningJobSpec.parse({
    objective: { metric: "loss", direction: "Minimize" },
    parameters,
    search: { seed: SEED },
    limits: { maxTrials: 100_000 },
    trialTemplate: { job: { template: { spec: { containers: [{ name: "train", image: "train:1" }] } } } },
  });
}

function history(space: SearchSpace, spec: TuningJobSpec, size: number): TrialObservation[] {
  const indices = Array.from({ length: size }, (_, i) => i);
  const objectives = [] as never[];
  return randomStrategy
    .suggest({ space, history: [], indices, seed: SEED, objectives, spec })
    .map((values, index) => {
      const loss = 1 / (1 + index) + ((index * 7919) % 101) / 1000;
      return {
        index,
        parameters: values ?? {},
        phase: "Succeeded",
        history: [],
        metrics: { loss },
        createdAt: index,
      };
    });
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;

function timeCalls(strategy: Strategy, space: SearchSpace, spec: TuningJobSpec, trials: TrialObservation[]) {
  const objectives = [{ name: "loss", direction: "Minimize" as const, reduction: "Last" as const }];
  const ask = (call: number) =>
    strategy.suggest({
      space,
      history: trials,
      indices: [trials.length + call],
      seed: SEED,
      objectives,
      spec,
    });
  for (let call = 0; call < 30; call++) ask(call);
  const times: number[] = [];
  for (let call = 0; call < CALLS; call++) {
    const start = performance.now();
    ask(call);
    times.push((performance.now() - start) * 1000);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

export async function runTpeBench(): Promise<string> {
  const rows: string[] = [];
  for (const [name, parameters] of [
    ["mixed 6-parameter (conditional)", MIXED],
    ["continuous 6-D", CONTINUOUS],
  ] as const) {
    const spec = specFor(parameters);
    const space = createSearchSpace(spec.parameters);
    for (const size of HISTORY_SIZES) {
      const { p50, p99 } = timeCalls(tpeStrategy, space, spec, history(space, spec, size));
      rows.push(`| ${name} | ${size.toLocaleString("en")} | ${p50.toFixed(0)} | ${p99.toFixed(0)} |`);
    }
  }
  return [
    "TPE suggestion time (µs, one suggestion per call)",
    "",
    "| space | trials | p50 | p99 |",
    "|---|---:|---:|---:|",
    ...rows,
  ].join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await runTpeBench());
}
