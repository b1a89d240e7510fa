// `hypertune operator` as a real child process for the operator integration
// tests: built once (tsc, skipped when dist/ is newer than src/), started on
// free ports, ready when /readyz answers, its JSON log kept in memory and
// printed when a test fails. kill() sends SIGKILL; start() runs it again.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { beforeEach } from "vitest";
import { TEST_COLLECTOR_IMAGE } from "../cluster/collector-image.js";

const repoRoot = resolve(import.meta.dirname, "..", "..");
const cli = join(repoRoot, "bin", "hypertune.js");
const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Compiles src/ into dist/ when any source file is newer than the compiled CLI.
 * tsc emits even with type errors (work in progress elsewhere in the tree must
 * not stop these tests); only a missing or stale dist/cli/main.js is an error.
 */
export function ensureBuilt(): void {
  const built = join(repoRoot, "dist", "cli", "main.js");
  const builtAt = () => {
    try {
      return statSync(built).mtimeMs;
    } catch {
      return 0;
    }
  };
  const sources = newestMtime(join(repoRoot, "src"));
  if (builtAt() > sources) return;
  const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  if (builtAt() <= sources)
    throw new Error(`tsc did not emit dist/cli/main.js:\n${result.stdout}${result.stderr}`);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const port = (server.address() as { port: number }).port;
  await new Promise((ok) => server.close(ok));
  return port;
}

export interface OperatorOptions {
  kubeconfig: string;
  namespace: string;
  /** Extra flags, e.g. ["--leader-elect", "--lease-duration", "4"]. */
  args?: string[];
  /** Name in the printed log. */
  label?: string;
}

export class OperatorProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);
  readonly log: string[] = [];
  metricsPort = 0;
  healthPort = 0;
  /** How many times it was started. */
  starts = 0;

  constructor(private readonly options: OperatorOptions) {}

  get label(): string {
    return this.options.label ?? "operator";
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process (fresh ports each time) and waits for /readyz. */
  async start(readyTimeoutMs = 30_000): Promise<void> {
    if (this.running) throw new Error(`${this.label} is already running`);
    this.metricsPort = await freePort();
    this.healthPort = await freePort();
    const argv = [
      cli,
      "operator",
      "--kubeconfig",
      this.options.kubeconfig,
      "--namespace",
      this.options.namespace,
      "--metrics-port",
      `${this.metricsPort}`,
      "--health-port",
      `${this.healthPort}`,
      "--collector-image",
      TEST_COLLECTOR_IMAGE,
      "--log-level",
      "debug",
      ...(this.options.args ?? []),
    ];
    const child = spawn(process.execPath, argv, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    this.starts++;
    const start = this.starts;
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) if (line) this.log.push(`[${start}] ${line}`);
      // Bounded: a test that floods the log must not flood the test runner.
      if (this.log.length > 20_000) this.log.splice(0, this.log.length - 20_000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    this.exited = new Promise((ok) => child.once("exit", (code) => ok(code)));
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      if (!this.running) throw new Error(`${this.label} exited before ready:\n${this.tail()}`);
      if (
        await this.get(this.healthPort, "/readyz").then(
          (r) => r.ok,
          () => false,
        )
      )
        return;
      if (Date.now() > deadline)
        throw new Error(`${this.label} not ready in ${readyTimeoutMs} ms:\n${this.tail()}`);
      await new Promise((ok) => setTimeout(ok, 100));
    }
  }

  /** SIGKILL, then wait for the exit. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child?.kill("SIGKILL");
    await this.exited;
  }

  /** SIGTERM (a clean shutdown), SIGKILL after `graceMs`. */
  async stop(graceMs = 5_000): Promise<number | null> {
    if (!this.running) return this.child?.exitCode ?? null;
    this.child?.kill("SIGTERM");
    const timer = setTimeout(() => this.child?.kill("SIGKILL"), graceMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  /** Resolves with the exit code when the process ends on its own. */
  waitExit(): Promise<number | null> {
    return this.exited;
  }

  /** The Prometheus text from /metrics. */
  async metricsText(): Promise<string> {
    const response = await this.get(this.metricsPort, "/metrics");
    return response.text();
  }

  /** Sum of a metric's samples (every label set), 0 when it has none. */
  async metric(name: string): Promise<number> {
    return sumMetric(await this.metricsText(), name);
  }

  tail(lines = 200): string {
    return this.log.slice(-lines).join("\n");
  }

  private get(port: number, path: string): Promise<Response> {
    return fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2_000) });
  }
}

export function sumMetric(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (match?.[1] === name) sum += Number(match[3]);
  }
  return sum;
}

/** Prints every listed operator's log tail when a test of this file fails. */
export function printOperatorLogsOnFailure(operators: () => OperatorProcess[]): void {
  beforeEach((context) => {
    context.onTestFailed(() => {
      for (const op of operators()) console.error(`--- ${op.label} log (last 200 lines) ---\n${op.tail()}`);
    });
  });
}
