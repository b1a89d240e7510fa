// Child processes of the test cluster: one log file each, stopped by PID.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Component {
  name: string;
  /** The executable, as argv[0]. */
  command: string;
  pid: number;
  logPath: string;
  /** Set once the process has exited. */
  exit: Exit | undefined;
  exited: Promise<Exit>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

// Children still running; killed if this process exits without stopping them
// (a crashed test run must not leave an API server holding its ports).
const live = new Map<number, ChildProcess>();
// Temp dirs to remove if this process exits before their owner cleans up.
const leftovers = new Set<string>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const pid of live.keys()) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    for (const dir of leftovers) rmSync(dir, { recursive: true, force: true });
  });
}

/** Removes `dir` when this process exits, unless `forget` is called first. */
export function removeOnExit(dir: string): { forget(): void } {
  installExitHook();
  leftovers.add(dir);
  return { forget: () => leftovers.delete(dir) };
}

export function startComponent(
  name: string,
  command: string,
  args: string[],
  opts: { logDir: string; env?: NodeJS.ProcessEnv; cwd?: string; detached?: boolean },
): Component {
  installExitHook();
  const logPath = join(opts.logDir, `${name}.log`);
  const fd = openSync(logPath, "a");
  let child: ChildProcess;
  try {
    child = spawn(command, args, {
      stdio: ["ignore", fd, fd],
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      detached: opts.detached ?? false,
    });
  } finally {
    closeSync(fd);
  }
  const exited = new Promise<Exit>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
    // spawn failures (ENOENT, EACCES) emit "error" without "exit".
    child.once("error", () => resolve({ code: -1, signal: null }));
  });
  if (child.pid === undefined) {
    throw new Error(`could not start ${name} (${command}); see ${logPath}`);
  }
  const pid = child.pid;
  live.set(pid, child);
  const component: Component = {
    name,
    command,
    pid,
    logPath,
    exit: undefined,
    exited,
    async stop(graceMs = 10_000) {
      if (component.exit) return;
      signal(pid, "SIGTERM");
      const timer = setTimeout(() => signal(pid, "SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  void exited.then((exit) => {
    component.exit = exit;
    live.delete(pid);
  });
  return component;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // exited in the meantime
  }
}

/** The last lines of a log, for error messages. */
export async function logTail(path: string, lines = 20): Promise<string> {
  try {
    const text = await readFile(path, "utf8");
    return text.trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/**
 * Polls `check` until it returns true. Fails early, with the log's tail, when
 * one of `watch` exits first.
 */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  opts: { timeoutMs: number; watch?: Component[]; intervalMs?: number },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const dead = opts.watch?.find((c) => c.exit);
    if (dead) {
      throw new ComponentExitedError(dead, await logTail(dead.logPath), what);
    }
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 250));
  }
}

export class ComponentExitedError extends Error {
  constructor(
    readonly component: Component,
    readonly tail: string,
    what: string,
  ) {
    const exit = component.exit;
    super(
      `${component.name} exited (code ${exit?.code}, signal ${exit?.signal}) while waiting for ${what}; ` +
        `log ${component.logPath}:\n${tail}`,
    );
  }
}
