/**
 * Random trials on a mixed space of eight parameters, drawn with the
 * project's seeded generator so that every run, and the Optuna script that
 * produced the known answers in importance.test.ts, sees the same trials.
 */

import type { ScoredTrial } from "../../../src/analysis/index.js";
import type { Parameter, ParameterValues } from "../../../src/api/index.js";
import { createValueCodec } from "../../../src/space/dimension.js";
import { createRng } from "../../../src/space/random.js";

/** Float Log, Float Linear, Float with step, Int, Int Log, Categorical, Int, and Int present only with adam. */
export const MIXED_SPACE: Parameter[] = [
  { name: "lr", type: "Float", min: 1e-5, max: 1e-1, scale: "Log" },
  { name: "dropout", type: "Float", min: 0, max: 0.5, scale: "Linear" },
  { name: "wd", type: "Float", min: 0, max: 1, scale: "Linear", step: 0.05 },
  { name: "layers", type: "Int", min: 1, max: 8, scale: "Linear", step: 1 },
  { name: "batch", type: "Int", min: 8, max: 512, scale: "Log", step: 1 },
  { name: "opt", type: "Categorical", values: ["adam", "sgd", "rms"] },
  { name: "units", type: "Int", min: 16, max: 300, scale: "Linear", step: 1 },
  { name: "beta", type: "Int", min: 1, max: 4, scale: "Linear", step: 1, when: { opt: "adam" } },
];

/** Every type and scale, nothing conditional: for checking which parameters come out on top. */
export const PLAIN_SPACE: Parameter[] = [
  { name: "lr", type: "Float", min: 1e-5, max: 1e-1, scale: "Log" },
  { name: "momentum", type: "Float", min: 0.9, max: 0.9999, scale: "ReverseLog" },
  { name: "dropout", type: "Float", min: 0, max: 0.5, scale: "Linear" },
  { name: "wd", type: "Float", min: 0, max: 1, scale: "Linear", step: 0.05 },
  { name: "layers", type: "Int", min: 1, max: 8, scale: "Linear", step: 1 },
  { name: "batch", type: "Int", min: 8, max: 512, scale: "Log", step: 1 },
  { name: "width", type: "Discrete", values: [64, 128, 256, 512, 1024] },
  { name: "opt", type: "Categorical", values: ["adam", "sgd", "rms"] },
];

/** Draws each active parameter uniformly in the unit interval, as the Random strategy does. */
export function sampleParameters(
  space: readonly Parameter[],
  count: number,
  seed: number,
): ParameterValues[] {
  const codecs = space.map((p) => createValueCodec(p));
  const rng = createRng(seed);
  return Array.from({ length: count }, () => {
    const values: ParameterValues = {};
    space.forEach((p, k) => {
      const active = Object.entries(p.when ?? {}).every(([parent, wanted]) => values[parent] === wanted);
      if (active) values[p.name] = codecs[k]?.decode(rng.next()) as ParameterValues[string];
    });
    return values;
  });
}

/** The known-answer objective: lr matters most, then layers and opt, beta a little, plus noise. */
export function knownAnswerTrials(count: number): ScoredTrial[] {
  const rng = createRng(7);
  const optimizerCost: Record<string, number> = { adam: 0, sgd: 1.5, rms: 0.7 };
  return sampleParameters(MIXED_SPACE, count, 42).map((parameters) => ({
    parameters,
    value:
      (Math.log10(parameters.lr as number) + 3) ** 2 +
      (optimizerCost[parameters.opt as string] as number) +
      0.3 * Math.abs((parameters.layers as number) - 4) +
      (parameters.beta === undefined ? 0 : 0.2 * (parameters.beta as number)) +
      0.3 * rng.normal(),
  }));
}
