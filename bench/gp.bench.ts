/**
 * Suggestion time of the Bayesian (GP) strategy by history size, p50 and
 * p99 over repeated calls, on two 6-parameter spaces: Hartmann-6 (continuous)
 * and a mixed one (log-scaled, integer, categorical, conditional). Each call
 * refits the GP from scratch (the strategy keeps no state), so the time is
 * the whole cost of one suggestion. Run: `npx tsx bench/gp.bench.ts`.
 */
import { pathToFileURL } from "node:url";
import {
  type Parameter,
  type ParameterValues,
  type TrialObservation,
  TuningJobSpec,
} from "../src/api/index.js";
import { createSearchSpace, type SearchSpace } from "../src/space/index.js";
import { bayesianStrategy } from "../src/strategies/bayesian.js";
import { randomStrategy } from "../src/strategies/random.js";

const HISTORY_SIZES = [25, 50, 100, 200];
const CALLS = 21;
const SEED = 7;

const HARTMANN6_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const HARTMANN6_P = [
  [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
  [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
  [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
  [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
];
const HARTMANN6_ALPHA = [1, 1.2, 3, 3.2];

function hartmann6(x: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < 4; i++) {
    let inner = 0;
    for (let j = 0; j < 6; j++) {
      inner += (HARTMANN6_A[i]?.[j] as number) * ((x[j] as number) - (HARTMANN6_P[i]?.[j] as number)) ** 2;
    }
    total -= (HARTMANN6_ALPHA[i] as number) * Math.exp(-inner);
  }
  return total;
}

interface Problem {
  name: string;
  parameters: Parameter[];
  loss(values: ParameterValues, space: SearchSpace): number;
}

const PROBLEMS: Problem[] = [
  {
    name: "Hartmann-6 (6 Float)",
    parameters: Array.from({ length: 6 }, (_, i) => ({
      name: `x${i}`,
      type: "Float" as const,
      min: 0,
      max: 1,
      scale: "Linear" as const,
    })),
    loss: (values) => hartmann6(Array.from({ length: 6 }, (_, i) => values[`x${i}`] as number)),
  },
  {
    name: "mixed (log, int, categorical, conditional)",
    parameters: [
      { name: "lr", type: "Float", min: 1e-5, max: 1e-1, scale: "Log" },
      { name: "dropout", type: "Float", min: 0, max: 0.5, scale: "Linear" },
      { name: "layers", type: "Int", min: 1, max: 8, scale: "Linear", step: 1 },
      { name: "units", type: "Int", min: 16, max: 512, scale: "Log", step: 1 },
      { name: "optimizer", type: "Categorical", values: ["adam", "sgd", "rmsprop"] },
      { name: "momentum", type: "Float", min: 0.5, max: 0.99, scale: "Linear", when: { optimizer: "sgd" } },
    ],
    // A made-up smooth loss over the encoded point; inactive momentum counts as 0.5.
    loss: (values, space) => hartmann6(space.encode(values).map((u) => (Number.isNaN(u) ? 0.5 : u))),
  },
];

function benchSpec(parameters: Parameter[]): TuningJobSpec {
  return TuningJobSpec.parse({
    objective: { metric: "loss", direction: "Minimize" },
    parameters,
    search: { strategy: "Bayesian", seed: SEED },
    limits: { maxTrials: 10_000 },
    trialTemplate: { job: { template: { spec: { containers: [{ name: "train", image: "train:1" }] } } } },
  });
}

/** n finished trials at random points, with the problem's loss. */
function syntheticHistory(
  problem: Problem,
  space: SearchSpace,
  spec: TuningJobSpec,
  n: number,
): TrialObservation[] {
  const indices = Array.from({ length: n }, (_, i) => i);
  const points = randomStrategy.suggest({ space, history: [], indices, seed: SEED, objectives: [], spec });
  return points.map((values, index) => {
    const parameters = values ?? {};
    const loss = problem.loss(parameters, space);
    return {
      index,
      parameters,
      phase: "Succeeded",
      history: [{ values: { loss } }],
      metrics: { loss },
      createdAt: index,
      finishedAt: index,
    };
  });
}

function percentile(sorted: readonly number[], q: number): number {
  const position = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[position] as number;
}

/**
 * Milliseconds per suggestion, sorted, for one problem and history size:
 * wall-clock, and this process's CPU time (which a busy machine inflates less).
 */
function timeSuggestions(problem: Problem, n: number): { wall: number[]; cpu: number[] } {
  const spec = benchSpec(problem.parameters);
  const space = createSearchSpace(spec.parameters);
  const history = syntheticHistory(problem, space, spec, n);
  const objectives = [{ name: "loss", direction: "Minimize" as const, reduction: "Last" as const }];
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let call = 0; call < CALLS; call++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    bayesianStrategy.suggest({ space, history, indices: [n + call], seed: SEED, objectives, spec });
    const used = process.cpuUsage(cpuStart);
    wall.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
  const ascending = (a: number, b: number) => a - b;
  return { wall: wall.sort(ascending), cpu: cpu.sort(ascending) };
}

export function runGpBench(): string {
  // Warm the JIT on a small history first, so the first cell is not measuring compilation.
  for (const problem of PROBLEMS) timeSuggestions(problem, 25);
  const header = `| space | ${HISTORY_SIZES.map((n) => `n = ${n}: p50 / p99 (CPU p50)`).join(" | ")} |`;
  const rule = `|---|${HISTORY_SIZES.map(() => "---:").join("|")}|`;
  const rows = PROBLEMS.map((problem) => {
    const cells = HISTORY_SIZES.map((n) => {
      const { wall, cpu } = timeSuggestions(problem, n);
      return `${percentile(wall, 0.5).toFixed(0)} / ${percentile(wall, 0.99).toFixed(0)} (${percentile(cpu, 0.5).toFixed(0)})`;
    });
    return `| ${problem.name} | ${cells.join(" | ")} |`;
  });
  const title = `Bayesian (GP) suggestion time, ms per suggestion (${CALLS} calls per cell, one suggestion each, the GP refitted every call)`;
  return [title, "", header, rule, ...rows].join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(runGpBench());
}
