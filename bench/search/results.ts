/** The jobs' raw output gathered per arm, and the regret arithmetic on it. */

import { armLabel, type BenchConfig, HYPERTUNE_ARMS, isGpArm, OPTUNA_ARMS } from "./jobs.js";
import { PROBLEMS, type Problem } from "./problems.js";
import type { JobResult } from "./runJobs.js";

export const ARMS = [
  ...HYPERTUNE_ARMS.map((arm) => ({ side: "hypertune" as const, arm })),
  ...OPTUNA_ARMS.map((arm) => ({ side: "optuna" as const, arm })),
].map((a) => ({ ...a, label: armLabel(a.side, a.arm), gp: isGpArm(a.side, a.arm) }));

export interface Gathered {
  /** arm label → problem id → per seed, the loss of every trial in order. */
  regret: Map<string, Map<string, number[][]>>;
  /** problem id → what hypertune's Auto resolved to. */
  autoChoice: Map<string, Set<string>>;
  /** arm label (e.g. "hypertune ASHA") → per seed, each trial's steps and full-fidelity value. */
  fidelity: Map<string, { steps: number; final: number | null }[][]>;
  /** arm label → history size → milliseconds per suggestion. */
  latency: Map<string, Map<number, number[]>>;
  /** arm label → largest peak RSS of its processes (KiB), and its processes' total wall time. */
  processes: Map<string, { maxRssKb: number; seconds: number }>;
  optunaVersion: string;
}

const problemById = (id: string) => PROBLEMS.find((p) => p.id === id) as Problem;

/** Optuna reports its points; they must give the same loss here, or the two sides measure different things. */
function crossCheck(id: string, runs: { values: number[]; points: Record<string, number | string>[] }[]) {
  const problem = problemById(id);
  for (const run of runs) {
    run.points.forEach((point, i) => {
      const theirs = run.values[i] as number;
      const ours = problem.loss(point);
      if (Math.abs(ours - theirs) > 1e-9 * (1 + Math.abs(theirs))) {
        throw new Error(`${id}: Optuna's loss ${theirs} at ${JSON.stringify(point)} but ${ours} here`);
      }
    });
  }
}

export function gather(results: JobResult[]): Gathered {
  const g: Gathered = {
    regret: new Map(),
    autoChoice: new Map(),
    fidelity: new Map(),
    latency: new Map(),
    processes: new Map(),
    optunaVersion: "?",
  };
  for (const { job, data, seconds } of results) {
    const label = armLabel(job.side, job.arm);
    const proc = g.processes.get(label) ?? { maxRssKb: 0, seconds: 0 };
    g.processes.set(label, {
      maxRssKb: Math.max(proc.maxRssKb, data.maxRssKb),
      seconds: proc.seconds + seconds,
    });
    if (data.optuna) g.optunaVersion = data.optuna;
    if (job.mode === "regret") {
      const perProblem = g.regret.get(label) ?? new Map<string, number[][]>();
      for (const [id, runs] of Object.entries(
        data.problems as Record<string, { values: number[]; strategy?: string }[]>,
      )) {
        if (job.side === "optuna") crossCheck(id, runs as never);
        perProblem.set(
          id,
          runs.map((r) => r.values),
        );
        if (job.arm === "Auto") {
          g.autoChoice.set(id, new Set(runs.map((r) => r.strategy ?? "?")));
        }
      }
      g.regret.set(label, perProblem);
    } else if (job.mode === "fidelity") {
      g.fidelity.set(
        label,
        (data.runs as { trials: { steps: number; final: number | null }[] }[]).map((r) => r.trials),
      );
    } else {
      g.latency.set(label, new Map((data.cells as { n: number; ms: number[] }[]).map((c) => [c.n, c.ms])));
    }
  }
  return g;
}

export const REGRET_FLOOR = 1e-12;

/** log10 of the simple regret after the first n trials of one run. */
export function logRegretAt(values: readonly number[], n: number, optimum: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < Math.min(n, values.length); i++) best = Math.min(best, values[i] as number);
  return Math.log10(Math.max(best - optimum, REGRET_FLOOR));
}

/** Per seed, log10 regret at n; undefined when the arm ran fewer than n trials. */
export function logRegrets(g: Gathered, label: string, problem: Problem, n: number): number[] | undefined {
  const runs = g.regret.get(label)?.get(problem.id);
  if (!runs || runs.some((r) => r.length < n)) return undefined;
  return runs.map((r) => logRegretAt(r, n, problem.optimum));
}

export const trialsOf = (c: BenchConfig, gp: boolean) => (gp ? c.gpTrials : c.trials);
