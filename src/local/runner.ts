/**
 * The local backend's loop: ask the engine for a plan whenever something
 * changes (a trial started, reported, finished; a one-second tick for
 * maxDuration), and carry it out with child processes. All state that matters
 * is appended to `trials.jsonl` as it happens, so `--resume` picks up after a
 * crash or Ctrl-C.
 */
import { mkdirSync, statSync } from "node:fs";
import { stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import {
  attemptEnvironment,
  type MetricReport,
  type ParameterValues,
  parseDurationSeconds,
  type TrialObservation,
  type TuningJob,
  type TuningJobSpec,
  trialName,
} from "../api/index.js";
import {
  concludeTrial,
  mayRetryPreempted,
  objectivesOf,
  type Plan,
  plan,
  type StopRequest,
  strategyFor,
  type TrialConclusion,
  type TrialEnding,
  withEarlierAttempts,
} from "../engine/index.js";
import { emptySnapshot, type MetricsSnapshot } from "../metrics/accumulator.js";
import type { StrategyMemo } from "../strategies/index.js";
import { TrialEventLog } from "./eventLog.js";
import { GpuPool } from "./gpuPool.js";
import { readJobFile } from "./jobFile.js";
import { type OpenedJobState, openJobState } from "./jobState.js";
import { loadRunnableJob } from "./loadJob.js";
import { LocalRetention } from "./localRetention.js";
import { reapOrphanedTrials } from "./reapOrphans.js";
import type { RunOutcome, RunReporter } from "./reporter.js";
import { ReportThrottle } from "./reportThrottle.js";
import { defaultStateRoot, trialFilesDir, trialLogPath } from "./stateDir.js";
import { startTrialCollector, type TrialCollector } from "./trialCollector.js";
import { localContainer, trialLaunch } from "./trialLaunch.js";
import { startTrialProcess, type TrialExit, type TrialProcess } from "./trialProcess.js";
import type { LocalTrial } from "./types.js";
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

/** A trial to run (again) under its own index: interrupted in an earlier session, or preempted. */
interface TrialRun {
  index: number;
  parameters: ParameterValues;
  /** 1, then one more after each preemption. */
  attempt: number;
  /** The earlier attempts' reports, merged (engine/attempts.ts). */
  earlierHistory: MetricReport[];
  /** When its first attempt started (ms), for the GPU time of limits.maxGpuHours. */
  startedAt?: number;
}

interface RunningTrial {
  run: TrialRun;
  trial: LocalTrial;
  process: TrialProcess;
  gpus: number[];
  collector: TrialCollector;
  reports: ReportThrottle;
  stop?: StopRequest;
}

/** How a local process ended, in the words both backends conclude a trial with. */
function endingOf(exit: TrialExit): TrialEnding {
  if (exit.spawnError !== undefined)
    return { kind: "CouldNotStart", reason: "StartFailed", detail: exit.spawnError };
  if (exit.timedOut) return { kind: "TimedOut" };
  // Exiting 0 on its own is finishing, even if a stop request crossed it.
  if (exit.code === 0 && exit.signal === null) return { kind: "Exited" };
  if (exit.stopped) return { kind: "Stopped" };
  // SIGTERM from outside is how a machine asks a process to go (shutdown, a spot notice, a
  // scheduler taking the GPU back): the trial was disrupted, not broken. SIGKILL (the OOM
  // killer) stays a failure.
  if (exit.signal === "SIGTERM")
    return {
      kind: "Preempted",
      reason: "SIGTERM",
      detail: "killed by SIGTERM, which the runner did not send",
    };
  return {
    kind: "Failed",
    detail: exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`,
  };
}

export class LocalRun {
  private readonly reporter: RunReporter;
  private readonly killGraceMs: number;
  private readonly trials = new Map<number, LocalTrial>();
  private readonly running = new Map<number, RunningTrial>();
  /** Trials waiting to run again under their own index: interrupted in an earlier session, or preempted. */
  private readonly restartQueue: TrialRun[] = [];
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
  /** spec.trialRetention: the retired trials are out of `trials`, kept here. */
  private retention!: LocalRetention;
  private jobFileDir = "";
  private planStartedAt = 0;
  private sessionStartedAt = 0;
  private priors: TrialObservation[] = [];
  /** The strategy's scratch space between plans (engine/plan.ts); a resumed run starts a new one. */
  private readonly strategyMemo: StrategyMemo = new Map();
  private warmStart: WarmStartReport | undefined;
  private timer: NodeJS.Timeout | undefined;
  private specFile = { path: "", mtimeMs: 0 };

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
    this.retention = new LocalRetention(this.spec);
    this.retention.replay(this.trials, rebuilt.retirements);
    reapOrphanedTrials(
      rebuilt.interrupted.map((t) => ({ ...t, trialName: trialName(job.metadata.name, t.index) })),
    );
    this.restartQueue.push(
      ...rebuilt.interrupted.map(({ index, parameters, attempt, earlierHistory }) => ({
        index,
        parameters,
        attempt,
        earlierHistory,
      })),
    );
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
      notes: [],
      ...(this.warmStart && { warmStart: this.warmStart }),
    });

    const outcome = new Promise<RunOutcome>((settle, fail) => {
      this.settle = settle;
      this.fail = fail;
    });
    this.specFile = { path: file, mtimeMs: statSync(file).mtimeMs };
    if (this.spec.suspend) this.reporter.suspended?.({ suspended: true, running: 0, file });
    this.timer = setInterval(() => {
      this.queuePlan();
      void this.followSuspendEdits();
    }, TICK_MS);
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
    return [...this.trials.values(), ...this.waitingRestarts()];
  }

  private waitingRestarts(): LocalTrial[] {
    return this.restartQueue.map(
      (q): LocalTrial => ({
        index: q.index,
        parameters: q.parameters,
        phase: "Pending",
        history: [...q.earlierHistory],
        createdAt: this.sessionStartedAt,
      }),
    );
  }

  private computePlan(): Plan {
    const started = performance.now();
    const retired = this.retention.step(this.trials, this.waitingRestarts(), Date.now());
    if (retired) this.log.append(retired);
    const p = plan(
      this.spec,
      this.observations(),
      Date.now(),
      this.planStartedAt,
      this.priors,
      this.state.record.strategy,
      this.strategyMemo,
      this.retention.summary(),
    );
    this.lastPlan = p;
    this.reporter.planned?.(p, (performance.now() - started) / 1000);
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
    for (const s of p.stop)
      this.stopTrial(s.index, {
        reason: s.reason,
        message: s.message,
        ...(s.step !== undefined && { step: s.step }),
      });
    if (p.completion) {
      this.completing ??= p;
      this.maybeEnd();
      return;
    }
    while (this.restartQueue.length > 0 && this.hasRoomFor()) {
      const next = this.restartQueue.shift();
      if (next) this.startTrial(next, true);
    }
    for (const c of p.create) {
      if (this.restartQueue.length > 0 || !this.hasRoomFor()) break;
      this.startTrial({ ...c, attempt: 1, earlierHistory: [] }, false);
    }
    if (
      this.running.size === 0 &&
      p.create.length === 0 &&
      this.restartQueue.length === 0 &&
      !this.spec.suspend
    ) {
      // Nothing runs and the engine wants nothing started, yet it did not complete: do not wait forever.
      this.completing = p;
      this.maybeEnd();
    }
  }

  /**
   * `suspend` edited in the job file while the job runs pauses or resumes it,
   * as on a cluster: running trials go on, no new one starts. Other edits
   * take effect with --resume (the spec hash decides which are allowed).
   */
  private async followSuspendEdits(): Promise<void> {
    const { path, mtimeMs } = this.specFile;
    const now = await stat(path).then(
      (s) => s.mtimeMs,
      () => mtimeMs,
    );
    if (now === mtimeMs) return;
    this.specFile = { path, mtimeMs: now };
    const read = await readJobFile(path);
    const [job] = read.ok ? read.jobs : [];
    // A half-saved or broken file keeps the job as it is; the next save is read again.
    if (!job || job.metadata.name !== this.job.metadata.name || job.spec.suspend === this.spec.suspend)
      return;
    this.spec = { ...this.spec, suspend: job.spec.suspend };
    this.reporter.suspended?.({ suspended: job.spec.suspend, running: this.running.size, file: path });
    this.queuePlan();
  }

  private hasRoomFor(): boolean {
    if (this.spec.suspend) return false;
    if (this.running.size >= this.spec.limits.parallelism) return false;
    const gpus = this.spec.trialTemplate.gpus;
    return !this.gpuPool || gpus === 0 || this.gpuPool.freeCount >= gpus;
  }

  private startTrial(run: TrialRun, restarted: boolean): void {
    const { index, parameters, attempt } = run;
    const gpus = this.gpuPool?.acquire(this.spec.trialTemplate.gpus) ?? [];
    const now = Date.now();
    const trial: LocalTrial = {
      index,
      parameters,
      phase: "Running",
      history: [...run.earlierHistory],
      createdAt: now,
      startedAt: run.startedAt ?? now,
    };
    // Stable across attempts, so a preempted trial can resume from what it saved.
    const checkpointDir = join(trialFilesDir(this.state.paths, index), "checkpoint");
    mkdirSync(checkpointDir, { recursive: true });
    const collector = startTrialCollector(
      this.spec,
      { dir: trialFilesDir(this.state.paths, index), container: localContainer(this.spec).name },
      () => this.onReport(running),
    );
    const launch = trialLaunch(
      this.spec,
      { jobName: this.job.metadata.name, index, parameters },
      this.jobFileDir,
      { managed: this.gpuPool !== undefined, devices: gpus },
      { ...collector.env, ...attemptEnvironment(attempt, checkpointDir) },
    );
    const timeoutSeconds =
      this.spec.limits.trialTimeout && parseDurationSeconds(this.spec.limits.trialTimeout);
    const running: RunningTrial = {
      run,
      trial,
      gpus,
      collector,
      reports: new ReportThrottle(() => this.logReport(running)),
      process: startTrialProcess(launch, {
        logPath: trialLogPath(this.state.paths, index),
        onLine: (line, truncated) => {
          if (!this.ended && trial.phase === "Running") collector.outputLine(line, truncated);
        },
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
      ...(attempt > 1 && { attempt }),
      ...(running.process.pid !== undefined && { pid: running.process.pid }),
    });
    this.reporter.trialStarted?.(trial, {
      restarted,
      attempt,
      ...(launch.env.CUDA_VISIBLE_DEVICES !== undefined && {
        cudaVisibleDevices: launch.env.CUDA_VISIBLE_DEVICES,
      }),
    });
    running.process.exited.then(
      (exit) => this.onExit(running, exit),
      (err) => this.abort(err),
    );
  }

  /** A new report: the engine sees the trial as the accumulator has it. */
  private onReport(r: RunningTrial): void {
    if (this.ended || r.trial.phase !== "Running") return;
    const { history, metrics } = this.attemptsSnapshot(r);
    r.trial.history = history;
    r.trial.metrics = metrics;
    r.reports.report();
    this.reporter.trialReported?.(r.trial);
    this.queuePlan();
  }

  private logReport(r: RunningTrial): void {
    const report = r.trial.history.at(-1);
    if (this.ended || r.trial.phase !== "Running" || !report) return;
    // Reports are cheap to lose (a re-run repeats them), so they are not fsync-ed one by one.
    this.log.append({ event: "report", at: Date.now(), index: r.trial.index, ...report }, false);
  }

  private stopTrial(index: number, stop: StopRequest): void {
    const r = this.running.get(index);
    if (r) {
      r.stop ??= stop;
      r.trial.stopRequested = true;
      r.process.stop();
      return;
    }
    const queued = this.restartQueue.findIndex((q) => q.index === index);
    if (queued >= 0) {
      // An interrupted trial that never got to re-run before the job ended.
      const [q] = this.restartQueue.splice(queued, 1);
      if (!q) return;
      const trial: LocalTrial = {
        index,
        parameters: q.parameters,
        phase: "Pending",
        history: [],
        createdAt: Date.now(),
      };
      const collected = withEarlierAttempts(this.spec, q.earlierHistory, emptySnapshot());
      this.record(trial, concludeTrial(this.spec, { ending: { kind: "Stopped" }, stop, collected }));
    }
  }

  private async onExit(r: RunningTrial, exit: TrialExit): Promise<void> {
    try {
      const { unavailable } = await r.collector.finish();
      r.reports.close();
      this.running.delete(r.trial.index);
      this.gpuPool?.release(r.gpus);
      if (this.ended) return;
      if (this.interrupts > 0) {
        // Not recorded as finished: --resume runs it again.
        this.maybeEnd();
        return;
      }
      const ending = endingOf(exit);
      if (ending.kind === "Preempted" && mayRetryPreempted(this.spec, r.run.attempt)) {
        this.retryPreempted(r, ending);
        return;
      }
      const conclusion = concludeTrial(this.spec, {
        ending,
        ...(r.stop && { stop: r.stop }),
        collected: this.attemptsSnapshot(r),
        ...(unavailable !== undefined && { unavailable }),
        ranFrom: r.trial.createdAt,
        ranUntil: Date.now(),
      });
      this.record(r.trial, conclusion);
      const next = this.computePlan();
      this.reporter.trialFinished?.(r.trial, {
        isBest: next.best?.index === r.trial.index && conclusion.phase === "Succeeded",
        logPath: trialLogPath(this.state.paths, r.trial.index),
      });
      this.step(next);
    } catch (err) {
      this.abort(err);
    }
  }

  /** What the collector has, joined with what the trial's earlier attempts reported. */
  private attemptsSnapshot(r: RunningTrial): MetricsSnapshot {
    return withEarlierAttempts(this.spec, r.run.earlierHistory, r.collector.snapshot());
  }

  /** Preempted with retries left: the same index runs again as the next attempt, its reports kept. */
  private retryPreempted(r: RunningTrial, ending: Extract<TrialEnding, { kind: "Preempted" }>): void {
    const { index, parameters, attempt } = r.run;
    const history = this.attemptsSnapshot(r).history;
    this.log.append({
      event: "preempted",
      at: Date.now(),
      index,
      attempt,
      reason: ending.reason,
      message: ending.detail,
      history,
    });
    this.reporter.trialPreempted?.(r.trial, { attempt, reason: ending.reason, message: ending.detail });
    this.restartQueue.unshift({
      index,
      parameters,
      attempt: attempt + 1,
      earlierHistory: history,
      ...(r.trial.startedAt !== undefined && { startedAt: r.trial.startedAt }),
    });
    this.step();
  }

  private record(trial: LocalTrial, conclusion: TrialConclusion): void {
    const { phase, metrics, history, reason, message } = conclusion;
    Object.assign(trial, { phase, metrics, history, reason, message, finishedAt: Date.now() });
    this.trials.set(trial.index, trial);
    this.log.append({
      event: "finished",
      at: trial.finishedAt ?? Date.now(),
      index: trial.index,
      phase,
      metrics,
      history,
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
      trials: [...this.trials.values(), ...this.retention.retired, ...this.waitingRestarts()].sort(
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
