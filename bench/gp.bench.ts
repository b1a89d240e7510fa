/**
 * Suggestion time of the Bayesian (GP) strategy by history size, p50 and
 * p99 over repeated calls, on two 6-parameter spaces: Hartmann-6 (continuous)
 * and a mixed one (log-scaled, integer, categorical, conditional). Each call
 * refits the GP from scratch (the strategy keeps no state), so the time is
 * the whole cost of one suggestion. Run: `npx tsx bench/gp.bench.ts`.
 */
import { pathToFileURL } from "node:url";
import type { Parameter, ParameterValues, TrialObservation, TuningJobSpec } from "../src/api/index.js";
import { createSearchSpace, type SearchSpace } from "../src/space/index.js";
import { bayesianStrategy } from "../src/strategies/bayesian.js";
import { lossSpec } from "../test/support/loss-spec.js";
import { percentile } from "../test/support/stats.js";
import { hartmann6 } from "../test/support/test-functions.js";
import { finishedTrial } from "../test/support/trials.js";
import { markdownTable, randomPoints, suggestOne } from "./timing.js";

const HISTORY_SIZES = [25, 50, 100, 200];
const CALLS = 21;
const SEED = 7;

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

/** n finished trials at random points, with the problem's loss. */
function syntheticHistory(
  problem: Problem,
  space: SearchSpace,
  spec: TuningJobSpec,
  n: number,
): TrialObservation[] {
  return randomPoints(space, spec, n, SEED).map((values, index) => {
    const parameters = values ?? {};
    return finishedTrial(index, parameters, problem.loss(parameters, space));
  });
}

/**
 * Milliseconds per suggestion, sorted, for one problem and history size:
 * wall-clock, and this process's CPU time (which a busy machine inflates less).
 */
function timeSuggestions(problem: Problem, n: number): { wall: number[]; cpu: number[] } {
  const spec = lossSpec(problem.parameters, { strategy: "Bayesian", seed: SEED }, 10_000);
  const space = createSearchSpace(spec.parameters);
  const history = syntheticHistory(problem, space, spec, n);
  const suggest = suggestOne(bayesianStrategy, space, spec, history, SEED);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let call = 0; call < CALLS; call++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    suggest(n + call);
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
  const rows = PROBLEMS.map((problem) => {
    const cells = HISTORY_SIZES.map((n) => {
      const { wall, cpu } = timeSuggestions(problem, n);
      return `${percentile(wall, 50).toFixed(0)} / ${percentile(wall, 99).toFixed(0)} (${percentile(cpu, 50).toFixed(0)})`;
    });
    return [problem.name, ...cells];
  });
  const title = `Bayesian (GP) suggestion time, ms per suggestion (${CALLS} calls per cell, one suggestion each, the GP refitted every call)`;
  const columns = ["space", ...HISTORY_SIZES.map((n) => `n = ${n}: p50 / p99 (CPU p50)`)];
  return markdownTable(title, columns, rows);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(runGpBench());
}
