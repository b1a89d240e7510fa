/** The benchmark's budgets and its units of work, each run in its own process (so each reports its own peak RSS). */

export interface BenchConfig {
  checkpoints: number[];
  seeds: number[];
  trials: number;
  /** Gaussian-process arms: a GP refit per suggestion is slow on both sides. */
  gpSeeds: number[];
  gpTrials: number;
  /** Multi-fidelity Hartmann-6: steps of a full trial; ASHA/Hyperband stop after `resourceCap` steps in all. */
  maxStep: number;
  resourceCap: number;
  latency: { sizes: number[]; gpSizes: number[]; calls: number; gpCalls: number };
}

const seeds = (n: number) => Array.from({ length: n }, (_, i) => i);

export const FULL: BenchConfig = {
  checkpoints: [10, 25, 50, 100],
  seeds: seeds(10),
  trials: 100,
  gpSeeds: seeds(5),
  gpTrials: 50,
  maxStep: 27,
  // The resource of full-budget random search: 100 trials × 27 steps.
  resourceCap: 100 * 27,
  latency: { sizes: [100, 1_000], gpSizes: [100], calls: 30, gpCalls: 10 },
};

/** A run of a few seconds that exercises every code path (`BENCH_SEARCH_SMOKE=1`). */
export const SMOKE: BenchConfig = {
  checkpoints: [5, 10],
  seeds: seeds(3),
  trials: 10,
  gpSeeds: seeds(3),
  gpTrials: 10,
  maxStep: 9,
  resourceCap: 10 * 9,
  latency: { sizes: [20], gpSizes: [20], calls: 3, gpCalls: 2 },
};

export type Side = "hypertune" | "optuna";

export type Job =
  | { side: Side; mode: "regret"; arm: string; problems: string[]; seeds: number[]; trials: number }
  | { side: Side; mode: "fidelity"; arm: string; seeds: number[]; maxStep: number; resourceCap: number }
  | { side: Side; mode: "latency"; arm: string; sizes: number[]; calls: number };

export const armLabel = (side: Side, arm: string) =>
  `${side === "hypertune" ? "hypertune" : "Optuna"} ${arm}`;
export const isGpArm = (side: Side, arm: string) =>
  (side === "hypertune" && arm === "Bayesian") || (side === "optuna" && arm === "GP");

export const HYPERTUNE_ARMS = ["Random", "Sobol", "TPE", "CMAES", "Bayesian", "Auto"];
export const OPTUNA_ARMS = ["Random", "QMC", "TPE", "GP"];

/** Every job, the slowest first so that the workers finish together. */
export function allJobs(c: BenchConfig, problemIds: string[]): Job[] {
  const regret = (side: Side, arm: string, problems: string[]): Job => {
    const gp = isGpArm(side, arm);
    const seeds = gp ? c.gpSeeds : c.seeds;
    return { side, mode: "regret", arm, problems, seeds, trials: gp ? c.gpTrials : c.trials };
  };
  const fidelity = (side: Side, arm: string): Job => ({
    side,
    mode: "fidelity",
    arm,
    seeds: c.seeds,
    maxStep: c.maxStep,
    resourceCap: c.resourceCap,
  });
  const latency = (side: Side, arm: string): Job => {
    const gp = isGpArm(side, arm);
    const sizes = gp ? c.latency.gpSizes : c.latency.sizes;
    return { side, mode: "latency", arm, sizes, calls: gp ? c.latency.gpCalls : c.latency.calls };
  };
  return [
    ...problemIds.map((id) => regret("optuna", "GP", [id])),
    ...problemIds.map((id) => regret("hypertune", "Auto", [id])),
    fidelity("optuna", "ASHA"),
    fidelity("optuna", "Hyperband"),
    regret("hypertune", "Bayesian", problemIds),
    latency("optuna", "GP"),
    latency("hypertune", "Bayesian"),
    ...["Random", "QMC", "TPE"].map((arm) => regret("optuna", arm, problemIds)),
    ...["Random", "QMC", "TPE"].map((arm) => latency("optuna", arm)),
    fidelity("hypertune", "ASHA"),
    fidelity("hypertune", "Hyperband"),
    ...["Random", "Sobol", "TPE", "CMAES"].map((arm) => regret("hypertune", arm, problemIds)),
    ...["Random", "Sobol", "TPE", "CMAES"].map((arm) => latency("hypertune", arm)),
  ];
}
