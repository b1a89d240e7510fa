// One container instance as a local process: no shell, its own process group
// (detached) so that signals reach everything it started, as a cgroup would.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import type { ContainerLogWriter } from "./log-file.js";

export interface ProcessSpec {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  log: ContainerLogWriter;
}

export interface ContainerExit {
  /** As the kubelet reports it: the exit status, or 128 + signal number. */
  exitCode: number;
  signal?: NodeJS.Signals;
}

export interface ContainerProcess {
  pid: number;
  /** Resolves once the process has exited, its group is gone and its output is in the log. */
  exited: Promise<ContainerExit>;
  /**
   * As a container runtime does: SIGKILL ends the whole process group (the
   * cgroup), any other signal goes to the main process (PID 1) alone, which
   * decides what its children get. A process already gone is not an error.
   */
  signal(sig: NodeJS.Signals): void;
  readonly running: boolean;
}

/** A negative pid signals the process group. */
function signalQuietly(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // ESRCH: nothing left to signal.
  }
}

/** Starts the process; rejects when it cannot be started at all (no such executable, bad cwd). */
export function startContainerProcess(spec: ProcessSpec): Promise<ContainerProcess> {
  const [file, ...args] = spec.argv;
  if (!file) return Promise.reject(new Error("no command to run"));
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let running = true;
    child.stdout.on("data", (chunk: Buffer) => spec.log.write("stdout", chunk));
    child.stderr.on("data", (chunk: Buffer) => spec.log.write("stderr", chunk));
    const exited = new Promise<ContainerExit>((resolveExit) => {
      child.once("exit", (code, signal) => {
        running = false;
        const pid = child.pid;
        // The container ends with its main process: reap whatever it left in its group.
        if (pid !== undefined) signalQuietly(-pid, "SIGKILL");
        const exit: ContainerExit =
          signal !== null
            ? { exitCode: 128 + (constants.signals[signal] ?? 0), signal }
            : { exitCode: code ?? 0 };
        // Output still in the pipes belongs in the log before anyone reads the exit.
        const settle = setTimeout(() => resolveExit(exit), 2000);
        child.once("close", () => {
          clearTimeout(settle);
          resolveExit(exit);
        });
      });
    });
    child.once("error", (err) => {
      if (child.pid === undefined) reject(err);
    });
    child.once("spawn", () => {
      const pid = child.pid as number;
      resolve({
        pid,
        exited,
        signal: (sig) => {
          if (running) signalQuietly(sig === "SIGKILL" ? -pid : pid, sig);
        },
        get running() {
          return running;
        },
      });
    });
  });
}
