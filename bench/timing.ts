/**
 * What the suggestion-time benchmarks (`suggest`, `tpe`, `gp`) share: the
 * 6-parameter mixed space, random starting points, a one-suggestion call and
 * the Markdown table they print; the job spec they time against is
 * test/support/loss-spec.ts's.
 */
import type { Parameter, ParameterValues, TrialObservation, TuningJobSpec } from "../src/api/index.js";
import type { SearchSpace } from "../src/space/index.js";
import { randomStrategy, type Strategy, type StrategyMemo } from "../src/strategies/index.js";

/** Every type, a log scale, a step and a condition; discrete throughout so that Grid can run on it too. */
export const MIXED_PARAMETERS: Parameter[] = [
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

/** `size` points from Random with no history, for trial indices 0…size−1. */
export function randomPoints(
  space: SearchSpace,
  spec: TuningJobSpec,
  size: number,
  seed: number,
): (ParameterValues | null)[] {
  const indices = Array.from({ length: size }, (_, i) => i);
  return randomStrategy.suggest({ space, history: [], indices, seed, objectives: [], spec });
}

/** A made-up loss for the trial at `index`: falling, with a deterministic wobble. */
export const syntheticLoss = (index: number): number => 1 / (1 + index) + ((index * 7919) % 101) / 1000;

const LOSS_OBJECTIVES = [{ name: "loss", direction: "Minimize" as const, reduction: "Last" as const }];

/** A function that asks `strategy` for one suggestion, for the trial at `index`, given `history`. */
/** One suggestion per call for the next index; with `memo`, kept across calls as a backend keeps it per job. */
export function suggestOne(
  strategy: Strategy,
  space: SearchSpace,
  spec: TuningJobSpec,
  history: TrialObservation[],
  seed: number,
  memo?: StrategyMemo,
): (index: number) => (ParameterValues | null)[] {
  return (index) =>
    strategy.suggest({
      space,
      history,
      indices: [index],
      seed,
      objectives: LOSS_OBJECTIVES,
      spec,
      ...(memo && { memo }),
    });
}

/** A Markdown table under a title: the first column left-aligned, the others right-aligned. */
export function markdownTable(title: string, columns: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const rule = `|---|${columns
    .slice(1)
    .map(() => "---:")
    .join("|")}|`;
  return [title, "", line(columns), rule, ...rows.map(line)].join("\n");
}
