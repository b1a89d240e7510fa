/**
 * A synthetic finished local job, written as a real state folder: job.json
 * (the parsed spec, its hash, the strategy) and trials.jsonl with the events
 * the runner appends (session, started, report, finished with its history,
 * ended), plus logs for the trials a report keeps one of. Deterministic from
 * the seed. Eight parameters (Float linear and log, Int linear and log,
 * Categorical); the objective depends on four of them plus noise; later
 * trials gather near the optimum as a model-based search's would. Some
 * trials fail; of those with intermediate values, some are stopped early
 * by the median rule.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { parseTuningJob, type TuningJobSpec } from "../../src/api/index.js";
import { specHash } from "../../src/local/specHash.js";
import { statePaths, trialLogPath } from "../../src/local/stateDir.js";
import type { JobRecord, TrialEvent } from "../../src/local/types.js";

export interface SyntheticOptions {
  root: string;
  name: string;
  trials: number;
  /** Trials that report intermediate values (20–50 steps each): the first ones, spread over the job. */
  curves: number;
  seed: number;
}

export interface SyntheticJob {
  root: string;
  name: string;
  dir: string;
  trials: number;
  spec: TuningJobSpec;
  counts: Record<string, number>;
  eventLines: number;
  bytes: number;
}

const OPTIMIZERS = ["sgd", "adam", "adamw", "rmsprop"] as const;
const ACTIVATIONS = ["relu", "gelu", "tanh"] as const;
const OPTIMIZER_COST: Record<string, number> = { sgd: 0.12, adam: 0.0, adamw: 0.02, rmsprop: 0.08 };
const FAILED_SHARE = 0.03;
const PARALLELISM = 8;

/** mulberry32: small, fast, and the same sequence everywhere. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function specOf(name: string, trials: number): TuningJobSpec {
  const parsed = parseTuningJob({
    apiVersion: "hypertune.dev/v1alpha1",
    kind: "TuningJob",
    metadata: { name },
    spec: {
      objective: { metric: "val_loss", direction: "Minimize" },
      metrics: { collector: "Stdout", additional: ["train_loss"] },
      parameters: [
        { name: "lr", type: "Float", min: 1e-5, max: 1, scale: "Log" },
        { name: "momentum", type: "Float", min: 0, max: 0.99 },
        { name: "weight_decay", type: "Float", min: 1e-6, max: 0.1, scale: "Log" },
        { name: "dropout", type: "Float", min: 0, max: 0.5 },
        { name: "layers", type: "Int", min: 1, max: 8 },
        { name: "batch_size", type: "Int", min: 16, max: 512, scale: "Log" },
        { name: "optimizer", type: "Categorical", values: [...OPTIMIZERS] },
        { name: "activation", type: "Categorical", values: [...ACTIVATIONS] },
      ],
      search: { strategy: "TPE", seed: 1 },
      earlyStopping: { rule: "Median", minTrials: 5, startStep: 5 },
      limits: { maxTrials: trials, parallelism: PARALLELISM, maxFailedTrials: trials },
      trialTemplate: {
        job: {
          template: {
            spec: {
              restartPolicy: "Never",
              containers: [
                {
                  name: "train",
                  image: "unused-locally",
                  command: ["python", "train.py"],
                  args: ["--lr=${params.lr}", "--optimizer=${params.optimizer}"],
                },
              ],
            },
          },
        },
      },
    },
  });
  if (!parsed.ok) throw new Error(`synthetic spec: ${parsed.errors.join("; ")}`);
  return parsed.value.spec;
}

type Params = {
  lr: number;
  momentum: number;
  weight_decay: number;
  dropout: number;
  layers: number;
  batch_size: number;
  optimizer: string;
  activation: string;
};

const round = (v: number, digits = 6) => Number(v.toPrecision(digits));

function sample(random: () => number, focus: number): Params {
  // With probability `focus`, near the optimum (lr 3e-3, dropout 0.2, 4 layers, adam).
  const near = random() < focus;
  const logUniform = (lo: number, hi: number) => 10 ** (Math.log10(lo) + random() * Math.log10(hi / lo));
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return {
    lr: round(near ? clamp(10 ** (-2.5 + 0.4 * gauss()), 1e-5, 1) : logUniform(1e-5, 1)),
    momentum: round(random() * 0.99),
    weight_decay: round(logUniform(1e-6, 0.1)),
    dropout: round(near ? clamp(0.2 + 0.06 * gauss(), 0, 0.5) : random() * 0.5),
    layers: near ? clamp(Math.round(4 + gauss()), 1, 8) : 1 + Math.floor(random() * 8),
    batch_size: Math.round(logUniform(16, 512)),
    optimizer: near && random() < 0.6 ? "adam" : (OPTIMIZERS[Math.floor(random() * 4)] as string),
    activation: ACTIVATIONS[Math.floor(random() * 3)] as string,
  };
}

function objective(p: Params, noise: number): number {
  return (
    0.3 * (Math.log10(p.lr) + 2.5) ** 2 +
    4 * (p.dropout - 0.2) ** 2 +
    0.05 * Math.abs(p.layers - 4) +
    (OPTIMIZER_COST[p.optimizer] ?? 0) +
    0.2 +
    noise
  );
}

export function writeSyntheticJob(o: SyntheticOptions): SyntheticJob {
  const random = rng(o.seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const paths = statePaths(o.root, o.name);
  rmSync(paths.dir, { recursive: true, force: true });
  mkdirSync(paths.trialLogs, { recursive: true });
  const spec = specOf(o.name, o.trials);
  const startedAt = Date.UTC(2026, 0, 5, 9, 0, 0);
  const record: JobRecord = {
    formatVersion: 1,
    name: o.name,
    file: `/bench/${o.name}.yaml`,
    seed: 1,
    specHash: specHash(spec),
    startedAt,
    strategy: "TPE",
    spec,
  };
  writeFileSync(paths.jobRecord, `${JSON.stringify(record, null, 2)}\n`);

  // Trials with curves are spread evenly over the job, as when early stopping is on throughout.
  const curveEvery = o.curves > 0 ? o.trials / o.curves : Number.POSITIVE_INFINITY;
  const slots = new Array<number>(PARALLELISM).fill(startedAt + 1000);
  const events: { at: number; order: number; line: string }[] = [];
  const counts: Record<string, number> = {};
  const push = (event: TrialEvent) =>
    events.push({ at: event.at, order: events.length, line: JSON.stringify(event) });
  const logs: { index: number; text: string; value: number | null; phase: string }[] = [];
  push({ event: "session", at: startedAt, resumed: false });
  for (let index = 0; index < o.trials; index++) {
    const slot = slots.indexOf(Math.min(...slots));
    const start = slots[slot] as number;
    const parameters = sample(random, Math.min(0.7, index / o.trials));
    const final = objective(parameters, 0.05 * gauss());
    const withCurve = Math.floor(index / curveEvery) !== Math.floor((index + 1) / curveEvery);
    const failed = random() < FAILED_SHARE;
    const steps = withCurve ? 20 + Math.floor(random() * 31) : 1;
    let history: { step?: number; values: Record<string, number> }[];
    if (withCurve) {
      const first = final + 1 + random();
      const tau = steps / (2 + 2 * random());
      history = [];
      for (let step = 1; step <= steps; step++) {
        const v = final + (first - final) * Math.exp(-step / tau) + 0.01 * gauss();
        history.push({ step, values: { val_loss: round(v), train_loss: round(v * 0.8) } });
      }
    } else history = [{ values: { val_loss: round(final), train_loss: round(final * 0.8) } }];
    let phase: "Succeeded" | "Failed" | "EarlyStopped" = "Succeeded";
    let reason = "Completed";
    let message = "the trial finished";
    if (failed) {
      // It died partway: some of its reports were made.
      history = history.slice(0, Math.floor(random() * history.length));
      phase = "Failed";
      reason = "Error";
      message = "exited with code 1";
    } else if (withCurve && final > 0.45 && random() < 0.7) {
      const at = 5 + Math.floor(random() * Math.max(1, steps - 10));
      history = history.slice(0, at);
      phase = "EarlyStopped";
      reason = "EarlyStopped";
      const best = Math.min(...history.map((r) => r.values.val_loss as number));
      message = `best val_loss ${best} by step ${at} is worse than the median ${round(best * 0.8)} of ${Math.min(index, 400)} trials`;
    }
    const duration = (withCurve ? steps * 2000 : 30_000) * (0.5 + random());
    const end = Math.round(start + duration);
    push({ event: "started", at: start, index, parameters, pid: 10_000 + index });
    history.forEach((report, k) => {
      const at = Math.round(start + ((k + 1) / (history.length + 1)) * duration);
      push({ event: "report", at, index, ...report });
    });
    const metrics: Record<string, number> = {};
    const last = history.at(-1);
    if (last) Object.assign(metrics, last.values);
    push({ event: "finished", at: end, index, phase, metrics, history, reason, message });
    slots[slot] = end + 50;
    counts[phase] = (counts[phase] ?? 0) + 1;
    if (withCurve) counts.withCurves = (counts.withCurves ?? 0) + 1;
    const text = `epoch reports for trial ${index}\n${history.map((r) => `val_loss=${r.values.val_loss}`).join("\n")}\n${phase === "Failed" ? "Traceback (most recent call last):\n  RuntimeError: CUDA out of memory\n" : ""}`;
    logs.push({ index, text, value: phase === "Succeeded" ? (metrics.val_loss ?? null) : null, phase });
  }
  const lastAt = Math.max(...slots);
  push({ event: "ended", at: lastAt, status: "Succeeded" });
  events.sort((a, b) => a.at - b.at || a.order - b.order);
  const text = `${events.map((e) => e.line).join("\n")}\n`;
  writeFileSync(paths.events, text);
  // The runner writes a log per trial; only those a report keeps (the best, the failed) matter here.
  const best = logs
    .filter((l) => l.value !== null)
    .sort((a, b) => (a.value as number) - (b.value as number))
    .slice(0, 50);
  for (const l of [...best, ...logs.filter((l) => l.phase === "Failed")])
    writeFileSync(trialLogPath(paths, l.index), l.text);
  return {
    root: o.root,
    name: o.name,
    dir: paths.dir,
    trials: o.trials,
    spec,
    counts,
    eventLines: events.length,
    bytes: Buffer.byteLength(text),
  };
}
