/**
 * The mixed problem: a synthetic "training run" over a log-scaled learning
 * rate, integer layers, log-scaled integer width, a categorical optimizer,
 * a momentum that exists only for SGD, and dropout. Its constants are drawn
 * once from a seeded generator; the minimum, 0, is reached with SGD at every
 * centre, so the conditional parameter matters.
 */
import { createRng } from "../../src/space/index.js";

export const OPTIMIZERS = ["adam", "sgd", "rmsprop", "adagrad"] as const;

export interface MixedConstants {
  /** Per optimizer: best log10 learning rate and the loss floor it adds. */
  lrCentre: Record<string, number>;
  floor: Record<string, number>;
  layers: number;
  log2Units: number;
  dropout: number;
  momentum: number;
}

export function mixedConstants(seed = 2025): MixedConstants {
  const rng = createRng(seed);
  const lrCentre: Record<string, number> = {};
  const floor: Record<string, number> = {};
  for (const name of OPTIMIZERS) {
    lrCentre[name] = -4 + 2.5 * rng.next();
    floor[name] = name === "sgd" ? 0 : 0.05 + 0.25 * rng.next();
  }
  return {
    lrCentre,
    floor,
    layers: 2 + rng.int(6),
    log2Units: Math.log2(Math.round(2 ** (4 + 5 * rng.next()))),
    dropout: 0.5 * rng.next(),
    momentum: 0.8 + 0.15 * rng.next(),
  };
}

export type MixedPoint = {
  lr: number;
  layers: number;
  units: number;
  optimizer: string;
  momentum?: number;
  dropout: number;
};

export function mixedLoss(p: MixedPoint, c: MixedConstants): number {
  const lr = Math.log10(p.lr) - (c.lrCentre[p.optimizer] ?? 0);
  const depth = (p.layers - c.layers) / 9;
  const width = (Math.log2(p.units) - c.log2Units) / 7;
  // Deeper nets want a smaller learning rate: an interaction a univariate model misses.
  const coupled = lr + 1.5 * depth;
  let loss = (c.floor[p.optimizer] ?? 0) + 0.15 * coupled ** 2 + 0.6 * depth ** 2 + 0.8 * width ** 2;
  loss += 0.5 * (p.dropout - c.dropout) ** 2;
  if (p.optimizer === "sgd") loss += 2 * ((p.momentum ?? 0) - c.momentum) ** 2;
  return loss;
}
