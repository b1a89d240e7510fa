/**
 * The benchmark's problems: a hypertune parameter list, the same space in
 * the form `optuna_arms.py` reads, the loss, and the known optimum.
 */
import type { Parameter, ParameterValues } from "../../src/api/index.js";
import { ackley, branin, hartmann6, levy, OPTIMA, rosenbrock } from "../../test/support/test-functions.js";
import { type MixedPoint, mixedConstants, mixedLoss, OPTIMIZERS } from "./mixed.js";

/** One dimension as the Python side sees it. */
export type PyParam =
  | { name: string; kind: "float" | "int"; low: number; high: number; log: boolean; when?: [string, string] }
  | { name: string; kind: "categorical"; choices: string[] };

export interface Problem {
  name: string;
  /** The function name `optuna_arms.py` evaluates. */
  id: string;
  parameters: Parameter[];
  python: PyParam[];
  optimum: number;
  loss(values: ParameterValues): number;
}

function box(id: string, name: string, dims: number, low: number, high: number, f: (x: number[]) => number) {
  const names = Array.from({ length: dims }, (_, i) => `x${i}`);
  return {
    name,
    id,
    parameters: names.map((n) => ({ name: n, type: "Float" as const, min: low, max: high })) as Parameter[],
    python: names.map((n) => ({ name: n, kind: "float" as const, low, high, log: false })),
    optimum: OPTIMA[id as keyof typeof OPTIMA],
    loss: (v: ParameterValues) => f(names.map((n) => Number(v[n]))),
  };
}

const MIXED = mixedConstants();

const mixed: Problem = {
  name: "Mixed-6 (int, log, categorical, conditional)",
  id: "mixed",
  parameters: [
    { name: "lr", type: "Float", min: 1e-5, max: 1, scale: "Log" },
    { name: "layers", type: "Int", min: 1, max: 10 },
    { name: "units", type: "Int", min: 8, max: 1024, scale: "Log" },
    { name: "optimizer", type: "Categorical", values: [...OPTIMIZERS] },
    { name: "momentum", type: "Float", min: 0, max: 0.99, when: { optimizer: "sgd" } },
    { name: "dropout", type: "Float", min: 0, max: 0.8 },
  ] as Parameter[],
  python: [
    { name: "lr", kind: "float", low: 1e-5, high: 1, log: true },
    { name: "layers", kind: "int", low: 1, high: 10, log: false },
    { name: "units", kind: "int", low: 8, high: 1024, log: true },
    { name: "optimizer", kind: "categorical", choices: [...OPTIMIZERS] },
    { name: "momentum", kind: "float", low: 0, high: 0.99, log: false, when: ["optimizer", "sgd"] },
    { name: "dropout", kind: "float", low: 0, high: 0.8, log: false },
  ],
  optimum: 0,
  loss: (v) => mixedLoss(v as unknown as MixedPoint, MIXED),
};

export const PROBLEMS: Problem[] = [
  box("branin", "Branin", 2, 0, 1, ([u = 0, v = 0]) => branin([-5 + 15 * u, 15 * v])),
  box("hartmann6", "Hartmann-6", 6, 0, 1, hartmann6),
  box("rosenbrock", "Rosenbrock-5D", 5, -5, 10, rosenbrock),
  box("ackley", "Ackley-10D", 10, -32.768, 32.768, ackley),
  box("levy", "Levy-10D", 10, -10, 10, levy),
  mixed,
];

/** What the Python side needs to evaluate the mixed problem the same way. */
export const MIXED_CONSTANTS = MIXED;
