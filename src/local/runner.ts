/**
 * The local backend's loop: ask the engine for a plan whenever something
 * changes (a trial started, reported, finished; a one-second tick for
 * maxDuration), and carry it out with child processes. All state that matters
 * is appended to `trials.jsonl` as it happens, so `--resume` picks up after a
 * crash or Ctrl-C.
 */
import { dirname, resolve } from "node:path";
import {
  declaredMetricNames,
  type MetricReport,
  type ParameterValues,
  parseDurationSeconds,
  type TrialObservation,
  type TrialPhase,
  type TuningJob,
  type TuningJobSpec,
} from "../api/index.js";
import { finishTrial, objectivesOf, type Plan, plan, strategyFor } from "../engine/index.js";
import { createMetricParser, type MetricParser } from "../metrics/index.js";
import { TrialEventLog } from "./eventLog.js";
import { GpuPool } from "./gpuPool.js";
import { type OpenedJobState, openJobState } from "./jobState.js";
import { loadRunnableJob } from "./loadJob.js";
import { reapOrphanedTrials } from "./reapOrphans.js";
import type { RunOutcome, RunReporter } from "./reporter.js";
import { defaultStateRoot, trialLogPath } from "./stateDir.js";
import { trialLaunch } from "./trialLaunch.js";
import { startTrialProcess, type TrialExit, type TrialProcess } from "./trialProcess.js";
import { type LocalTrial, MAX_HISTORY_PER_TRIAL } from "./types.js";
import { loadWarmStart, type WarmStartReport, warmStartFolders } from "./warmStart.js";

export interface LocalRunOptions {
  file: string;
  /** Parent of the job's state folder; default `.hypertune` next to the file. */
  stateRoot?: string;
  resume?: boolean;
  maxTrials?: number;
  parallelism?: number;
  /** GPU indices trials may use (`--gpus`). */
  gpus?: readonly number[];
  /** State folders of earlier runs whose finished trials seed the strategy (`--warm-start`). */
  warmStart?: readonly string[];
  /** Between SIGTERM and SIGKILL when a trial is stopped. */
  killGraceMs?: number;
  reporter?: RunReporter;
}

export const DEFAULT_KILL_GRACE_MS = 5_000;
const TICK_MS = 1_000;
const REJECTION_NOTES_PER_TRIAL = 3;

interface RunningTrial {
  trial: LocalTrial;
  process: TrialProcess;
  gpus: number[];
  parser: MetricParser;
  rejections: string[];
  stopReason?: { reason: string; message: string };
}

/** Differences from a cluster run that could surprise. */
function localNotes(spec: TuningJobSpec): string[] {
  const collector = spec.metrics.collector;
  if (collector === "Stdout") return [];
  return [
    `metrics.collector is ${collector}; locally, metrics are read from each trial's stdout and stderr instead`,
  ];
}

export class LocalRun {
  private readonly reporter: RunReporter;
  private readonly killGraceMs: number;
  private readonly trials = new Map<number, LocalTrial>();
  private readonly running = new Map<number, RunningTrial>();
  /** Interrupted trials of an earlier session, waiting to re-run under their own index. */
  private readonly restartQueue: { index: number; parameters: ParameterValues }[] = [];
  private interrupts = 0;
  private completing: Plan | undefined;
  private planQueued = false;
  private lastPlan: Plan | undefined;
  private settle: ((outcome: RunOutcome) => void) | undefined;
  private fail: ((err: unknown) => void) | undefined;
  private ended = false;

  // Set up in start().
  private spec!: TuningJobSpec;
  private job!: TuningJob;
  private state!: OpenedJobState;
  private log!: TrialEventLog;
  private gpuPool: GpuPool | undefined;
  private jobFileDir = "";
  private planStartedAt = 0;
  private sessionStartedAt = 0;
  private priors: TrialObservation[] = [];
  private warmStart: WarmStartReport | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: LocalRunOptions) {
    this.reporter = options.reporter ?? {};
    this.killGraceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  }

  async start(): Promise<RunOutcome> {
    const file = resolve(this.options.file);
    const { job, spec } = await loadRunnableJob(file, this.options);
    this.job = job;
    this.jobFileDir = dirname(file);
    this.state = openJobState({
      stateRoot: this.options.stateRoot ?? defaultStateRoot(file),
      jobName: job.metadata.name,
      file,
      spec,
      resume: this.options.resume ?? false,
    });
    try {
      return await this.runSession(job, spec, file);
    } finally {
      this.state.unlock();
    }
  }

  private async runSession(job: TuningJob, spec: TuningJobSpec, file: string): Promise<RunOutcome> {
    this.spec = { ...spec, search: { ...spec.search, seed: this.state.record.seed } };
    // Auto decides once per job; job.json keeps the choice for every later session.
    const strategy = strategyFor(this.spec, this.state.record.strategy);
    this.state.pinStrategy(strategy);
    const stateRoot = this.options.stateRoot ?? defaultStateRoot(file);
    const warm = loadWarmStart(
      warmStartFolders(stateRoot, spec.search.warmStartFrom, this.options.warmStart ?? []),
      this.spec,
    );
    this.priors = warm.priors;
    this.warmStart = warm.report;
    if (this.options.gpus) this.gpuPool = new GpuPool(this.options.gpus);

    const { rebuilt } = this.state;
    for (const t of rebuilt.finished) this.trials.set(t.index, t);
    reapOrphanedTrials(
      rebuilt.interrupted.map((t) => ({ ...t, trialName: `${job.metadata.name}-${t.index}` })),
    );
    this.restartQueue.push(...rebuilt.interrupted.map(({ index, parameters }) => ({ index, parameters })));
    this.sessionStartedAt = Date.now();
    // maxDuration counts the time the job ran, not the time between sessions.
    this.planStartedAt = this.sessionStartedAt - rebuilt.previousElapsedMs;
    this.log = new TrialEventLog(this.state.paths.events);
    this.log.append({ event: "session", at: this.sessionStartedAt, resumed: this.state.resumed });

    this.reporter.begin?.({
      name: job.metadata.name,
      file,
      stateDir: this.state.paths.dir,
      seed: this.state.record.seed,
      requestedStrategy: spec.search.strategy,
      strategy,
      objectiveName: objectivesOf(this.spec)[0]?.name ?? "",
      maxTrials: this.spec.limits.maxTrials,
      parallelism: this.spec.limits.parallelism,
      resumedFinished: rebuilt.finished.length,
      resumedInterrupted: rebuilt.interrupted.length,
      ...(this.options.gpus && { gpus: this.options.gpus }),
      startedAt: this.sessionStartedAt,
      previousElapsedMs: rebuilt.previousElapsedMs,
      notes: localNotes(this.spec),
      ...(this.warmStart && { warmStart: this.warmStart }),
    });

    const outcome = new Promise<RunOutcome>((settle, fail) => {
      this.settle = settle;
      this.fail = fail;
    });
    this.timer = setInterval(() => this.queuePlan(), TICK_MS);
    this.step();
    this.maybeEnd();
    try {
      return await outcome;
    } finally {
      clearInterval(this.timer);
      await this.log.close();
    }
  }

  /** Ctrl-C: the first stops running trials gracefully, a second kills them. Neither records them as finished. */
  interrupt(): void {
    if (this.ended) return;
    this.interrupts++;
    // Still loading: start() sees the count and ends before any trial starts.
    if (!this.settle) return;
    const force = this.interrupts > 1;
    this.reporter.interrupting?.({ running: this.running.size, force });
    for (const r of this.running.values()) {
      if (force) r.process.kill();
      else r.process.stop();
    }
    this.maybeEnd();
  }

  /**
   * SIGKILL to every running trial's process group, synchronously: the last
   * resort when this process is about to exit unexpectedly, so that no
   * detached trial is left running on its own.
   */
  killAllNow(): void {
    for (const r of this.running.values()) r.process.kill();
  }

  private queuePlan(): void {
    if (this.planQueued) return;
    this.planQueued = true;
    setImmediate(() => {
      this.planQueued = false;
      this.step();
    });
  }

  private observations(): LocalTrial[] {
    const pending = this.restartQueue.map(
      (q): LocalTrial => ({
        index: q.index,
        parameters: q.parameters,
        phase: "Pending",
        history: [],
        createdAt: this.sessionStartedAt,
      }),
    );
    return [...this.trials.values(), ...pending];
  }

  private computePlan(): Plan {
    const p = plan(
      this.spec,
      this.observations(),
      Date.now(),
      this.planStartedAt,
      this.priors,
      this.state.record.strategy,
    );
    this.lastPlan = p;
    this.reporter.planned?.(p);
    return p;
  }

  /** Plans and acts; any error ends the run after killing the trials. */
  private step(precomputed?: Plan): void {
    if (this.ended || this.interrupts > 0) return;
    try {
      this.act(precomputed ?? this.computePlan());
    } catch (err) {
      this.abort(err);
    }
  }

  private act(p: Plan): void {
    for (const s of p.stop) this.stopTrial(s.index, s.reason, s.message);
    if (p.completion) {
      this.completing ??= p;
      this.maybeEnd();
      return;
    }
    while (this.restartQueue.length > 0 && this.hasRoomFor()) {
      const next = this.restartQueue.shift();
      if (next) this.startTrial(next.index, next.parameters, true);
    }
    for (const c of p.create) {
      if (this.restartQueue.length > 0 || !this.hasRoomFor()) break;
      this.startTrial(c.index, c.parameters, false);
    }
    if (this.running.size === 0 && p.create.length === 0 && this.restartQueue.length === 0) {
      // Nothing runs and the engine wants nothing started, yet it did not complete: do not wait forever.
      this.completing = p;
      this.maybeEnd();
    }
  }

  private hasRoomFor(): boolean {
    if (this.running.size >= this.spec.limits.parallelism) return false;
    const gpus = this.spec.trialTemplate.gpus;
    return !this.gpuPool || gpus === 0 || this.gpuPool.freeCount >= gpus;
  }

  private startTrial(index: number, parameters: ParameterValues, restarted: boolean): void {
    const gpus = this.gpuPool?.acquire(this.spec.trialTemplate.gpus) ?? [];
    const launch = trialLaunch(
      this.spec,
      { jobName: this.job.metadata.name, index, parameters },
      this.jobFileDir,
      { managed: this.gpuPool !== undefined, devices: gpus },
    );
    const trial: LocalTrial = { index, parameters, phase: "Running", history: [], createdAt: Date.now() };
    const parser = createMetricParser({
      declared: declaredMetricNames(this.spec),
      definitions: this.spec.metrics.definitions,
    });
    const timeoutSeconds =
      this.spec.limits.trialTimeout && parseDurationSeconds(this.spec.limits.trialTimeout);
    const running: RunningTrial = {
      trial,
      gpus,
      parser,
      rejections: [],
      process: startTrialProcess(launch, {
        logPath: trialLogPath(this.state.paths, index),
        onLine: (line, truncated) => this.onLine(running, line, truncated),
        killGraceMs: this.killGraceMs,
        ...(timeoutSeconds ? { timeoutMs: timeoutSeconds * 1000 } : {}),
      }),
    };
    this.trials.set(index, trial);
    this.running.set(index, running);
    this.log.append({
      event: "started",
      at: trial.createdAt,
      index,
      parameters,
      ...(running.process.pid !== undefined && { pid: running.process.pid }),
    });
    this.reporter.trialStarted?.(trial, {
      restarted,
      ...(launch.env.CUDA_VISIBLE_DEVICES !== undefined && {
        cudaVisibleDevices: launch.env.CUDA_VISIBLE_DEVICES,
      }),
    });
    running.process.exited.then(
      (exit) => this.onExit(running, exit),
      (err) => this.abort(err),
    );
  }

  private onLine(r: RunningTrial, line: string, truncated: boolean): void {
    if (this.ended || r.trial.phase !== "Running") return;
    if (truncated) {
      this.noteRejection(r, "an overlong output line was not read for metrics");
      return;
    }
    const { samples, rejected } = r.parser.parseLine(line);
    for (const x of rejected) this.noteRejection(r, `${x.name ? `${x.name}: ` : ""}${x.reason}`);
    if (samples.length === 0) return;
    const report: MetricReport = { values: {} };
    for (const s of samples) {
      report.values[s.name] = s.value;
      if (s.step !== undefined) report.step = s.step;
    }
    r.trial.history.push(report);
    if (r.trial.history.length > MAX_HISTORY_PER_TRIAL) r.trial.history.shift();
    // Reports are cheap to lose (a re-run repeats them), so they are not fsync-ed one by one.
    this.log.append({ event: "report", at: Date.now(), index: r.trial.index, ...report }, false);
    this.reporter.trialReported?.(r.trial);
    this.queuePlan();
  }

  private noteRejection(r: RunningTrial, note: string): void {
    if (r.rejections.length < REJECTION_NOTES_PER_TRIAL && !r.rejections.includes(note))
      r.rejections.push(note);
  }

  private stopTrial(index: number, reason: string, message: string): void {
    const r = this.running.get(index);
    if (r) {
      if (!r.stopReason) r.stopReason = { reason, message };
      r.trial.stopRequested = true;
      r.process.stop();
      return;
    }
    const queued = this.restartQueue.findIndex((q) => q.index === index);
    if (queued >= 0) {
      // An interrupted trial that never got to re-run before the job ended.
      const [q] = this.restartQueue.splice(queued, 1);
      if (q)
        this.record(
          { index, parameters: q.parameters, phase: "EarlyStopped", history: [], createdAt: Date.now() },
          {},
          reason,
          message,
        );
    }
  }

  private onExit(r: RunningTrial, exit: TrialExit): void {
    this.running.delete(r.trial.index);
    this.gpuPool?.release(r.gpus);
    if (this.ended) return;
    if (this.interrupts > 0) {
      // Not recorded as finished: --resume runs it again.
      this.maybeEnd();
      return;
    }
    try {
      const finished = finishTrial(this.spec, exit.exitedOk, r.trial.history);
      let { reason, message } = finished;
      let phase: TrialPhase = finished.phase;
      if (exit.timedOut) {
        phase = "Failed";
        reason = "Timeout";
        message = `stopped after trialTimeout (${this.spec.limits.trialTimeout})`;
      } else if (r.stopReason) {
        phase = "EarlyStopped";
        ({ reason, message } = r.stopReason);
      } else if (exit.spawnError !== undefined) {
        reason = "StartFailed";
        message = exit.spawnError;
      } else if (phase === "Failed") {
        message = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
      }
      if (r.rejections.length > 0 && phase !== "Succeeded")
        message += `; ignored output: ${r.rejections.join("; ")}`;
      r.trial.phase = phase;
      this.record(r.trial, finished.metrics, reason, message);
      const next = this.computePlan();
      this.reporter.trialFinished?.(r.trial, {
        isBest: next.best?.index === r.trial.index && phase === "Succeeded",
        logPath: trialLogPath(this.state.paths, r.trial.index),
      });
      this.step(next);
    } catch (err) {
      this.abort(err);
    }
  }

  private record(trial: LocalTrial, metrics: Record<string, number>, reason: string, message: string): void {
    trial.metrics = metrics;
    trial.finishedAt = Date.now();
    trial.reason = reason;
    trial.message = message;
    this.trials.set(trial.index, trial);
    this.log.append({
      event: "finished",
      at: trial.finishedAt,
      index: trial.index,
      phase: trial.phase,
      metrics,
      reason,
      message,
    });
  }

  private maybeEnd(): void {
    if (this.ended || this.running.size > 0) return;
    const interrupted = this.interrupts > 0;
    // The latest plan has the final counts and best (trials stopped at completion are recorded by then).
    const final = interrupted || this.lastPlan?.completion ? this.lastPlan : this.completing;
    if (!interrupted && !final) return;
    this.ended = true;
    const p = final ?? this.computePlan();
    const completion = interrupted ? undefined : p.completion;
    const outcome: RunOutcome = {
      status: interrupted ? "Interrupted" : completion?.succeeded ? "Succeeded" : "Failed",
      name: this.job.metadata.name,
      file: resolve(this.options.file),
      stateDir: this.state.paths.dir,
      seed: this.state.record.seed,
      strategy: p.strategy,
      reason: interrupted ? "Interrupted" : (completion?.reason ?? "Stalled"),
      message: interrupted
        ? "interrupted; unfinished trials run again with --resume"
        : (completion?.message ?? `nothing left to run: ${p.message}`),
      ...(p.best && { best: p.best }),
      ...(p.paretoFront && { paretoFront: p.paretoFront }),
      ...(p.hypervolume !== undefined && { hypervolume: p.hypervolume }),
      trials: [...this.trials.values(), ...this.observations().filter((t) => t.phase === "Pending")].sort(
        (a, b) => a.index - b.index,
      ),
      objectiveName: objectivesOf(this.spec)[0]?.name ?? "",
      objectiveDirection: objectivesOf(this.spec)[0]?.direction ?? "Maximize",
      objectives: objectivesOf(this.spec).map(({ name, direction }) => ({ name, direction })),
      ...(this.warmStart && { warmStart: this.warmStart }),
      elapsedMs: Date.now() - this.planStartedAt,
    };
    this.log.append({ event: "ended", at: Date.now(), status: outcome.status });
    this.reporter.end?.(outcome);
    this.settle?.(outcome);
  }

  private abort(err: unknown): void {
    if (this.ended) return;
    this.ended = true;
    for (const r of this.running.values()) r.process.kill();
    this.fail?.(err);
  }
}

/** Runs a job file to its end (or until interrupted through the returned handle). */
export function runLocalJob(options: LocalRunOptions): { run: LocalRun; outcome: Promise<RunOutcome> } {
  const run = new LocalRun(options);
  return { run, outcome: run.start() };
}
