/**
 * Runs one trial as a child process in its own process group (no shell), so
 * that stopping it also stops whatever it started. Output goes line by line to
 * `onLine` and verbatim to the trial's log file (bounded: boundedLog.ts).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { LineSplitter } from "../metrics/lineSplitter.js";
import { BoundedLog } from "./boundedLog.js";
import type { TrialLaunch } from "./trialLaunch.js";

export interface TrialExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stopped: boolean;
  /** The program could not be started at all (e.g. not found). */
  spawnError?: string;
}

export interface TrialProcessOptions {
  logPath: string;
  onLine: (line: string, truncated: boolean) => void;
  timeoutMs?: number;
  /** Between SIGTERM and SIGKILL. */
  killGraceMs: number;
  maxLineLength?: number;
  /** The most the trial's log keeps (its newest output). */
  maxLogBytes?: number;
}

export interface TrialProcess {
  readonly pid: number | undefined;
  /** SIGTERM to the group, SIGKILL after the grace period. Repeating it is harmless. */
  stop(): void;
  /** SIGKILL to the group now. */
  kill(): void;
  readonly exited: Promise<TrialExit>;
}

/** Waiting this long for the pipes to close after the process exited; a daemonised grandchild may hold them. */
const PIPE_DRAIN_MS = 2_000;

export function startTrialProcess(launch: TrialLaunch, opts: TrialProcessOptions): TrialProcess {
  const log = new BoundedLog(opts.logPath, opts.maxLogBytes);
  let child: ChildProcess;
  try {
    child = spawn(launch.command, launch.args, {
      cwd: launch.cwd,
      env: launch.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (err) {
    // Synchronous spawn failures (e.g. a bad cwd type) are reported like async ones.
    const message = err instanceof Error ? err.message : String(err);
    log.write(`hypertune: could not start ${launch.command}: ${message}\n`);
    log.close();
    const exited = Promise.resolve(failedStart(message));
    return { pid: undefined, stop() {}, kill() {}, exited };
  }

  let timedOut = false;
  let stopped = false;
  let killTimer: NodeJS.Timeout | undefined;
  let exitedAlready = false;

  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  };
  const terminate = () => {
    if (exitedAlready || killTimer) return;
    signalGroup("SIGTERM");
    killTimer = setTimeout(() => signalGroup("SIGKILL"), opts.killGraceMs);
  };
  const timeoutTimer =
    opts.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          terminate();
        }, opts.timeoutMs);

  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    const splitter = new LineSplitter(opts.onLine, opts.maxLineLength);
    stream.on("data", (chunk: Buffer) => {
      log.write(chunk);
      splitter.push(chunk);
    });
    stream.on("end", () => splitter.end());
  }

  const exited = new Promise<TrialExit>((resolveExit) => {
    let spawnError: string | undefined;
    child.once("error", (err: NodeJS.ErrnoException) => {
      spawnError = describeSpawnError(launch, err);
      log.write(`hypertune: ${spawnError}\n`);
      // 'exit' may never come when the spawn itself failed.
      if (child.pid === undefined) finish(null, null);
    });
    child.once("exit", (code, signal) => finish(code, signal));

    let finished = false;
    function finish(code: number | null, signal: NodeJS.Signals | null) {
      if (finished) return;
      finished = true;
      exitedAlready = true;
      clearTimeout(timeoutTimer);
      clearTimeout(killTimer);
      const flags = { timedOut, stopped };
      // Like a container: when the main process ends, what it left behind ends too.
      signalGroup("SIGKILL");
      const drained = Promise.all(
        [child.stdout, child.stderr].map(
          (s) =>
            new Promise<void>((done) =>
              !s || s.readableEnded || s.destroyed ? done() : s.once("close", done),
            ),
        ),
      );
      const drainTimeout = new Promise<void>((done) => setTimeout(done, PIPE_DRAIN_MS).unref());
      void Promise.race([drained, drainTimeout]).then(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        log.close();
        const exit: TrialExit = { code, signal, ...flags };
        if (spawnError !== undefined) exit.spawnError = spawnError;
        resolveExit(exit);
      });
    }
  });

  return {
    pid: child.pid,
    stop() {
      if (exitedAlready) return;
      stopped = true;
      terminate();
    },
    kill() {
      if (exitedAlready) return;
      stopped = true;
      signalGroup("SIGKILL");
    },
    exited,
  };
}

function failedStart(message: string): TrialExit {
  return { code: null, signal: null, timedOut: false, stopped: false, spawnError: message };
}

function describeSpawnError(launch: TrialLaunch, err: NodeJS.ErrnoException): string {
  if (err.code === "ENOENT")
    return `could not start "${launch.command}": not found (cwd ${launch.cwd}, or not on PATH)`;
  if (err.code === "EACCES") return `could not start "${launch.command}": not executable`;
  return `could not start "${launch.command}": ${err.message}`;
}
