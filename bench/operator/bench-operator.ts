// The built operator as a child process (the integration tests' OperatorProcess),
// at log level info (the tests run it at debug, which costs CPU per event), with
// its resident memory sampled from /proc and optionally a V8 CPU profile.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { OperatorProcess } from "../../test/support/operator-process.js";
import { peakResidentBytes, residentBytes } from "./process-memory.js";

const preload = pathToFileURL(join(import.meta.dirname, "cpu-profile-preload.mjs")).href;

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

export interface BenchOperator {
  process: OperatorProcess;
  pid: number;
  /** Peak RSS so far (VmHWM). */
  peakRss(): number;
  rss(): number;
  stop(): Promise<void>;
}

export async function startBenchOperator(
  kubeconfig: string,
  namespace: string,
  cpuProfileDir?: string,
): Promise<BenchOperator> {
  const op = new OperatorProcess({ kubeconfig, namespace, args: ["--log-level", "info"], label: namespace });
  const saved = { options: process.env.NODE_OPTIONS, dir: process.env.BENCH_CPU_PROFILE_DIR };
  // BENCH_OPERATOR_IMPORT: a module preloaded into the operator alone, for experiments.
  const imports = [
    ...(cpuProfileDir ? [preload] : []),
    ...(process.env.BENCH_OPERATOR_IMPORT ? [pathToFileURL(process.env.BENCH_OPERATOR_IMPORT).href] : []),
  ];
  if (imports.length > 0) {
    // Inherited by the spawned operator only; put back at once below.
    process.env.NODE_OPTIONS = [saved.options ?? "", ...imports.map((i) => `--import=${i}`)].join(" ").trim();
    if (cpuProfileDir) process.env.BENCH_CPU_PROFILE_DIR = cpuProfileDir;
  }
  try {
    await op.start(60_000);
  } finally {
    restore("NODE_OPTIONS", saved.options);
    restore("BENCH_CPU_PROFILE_DIR", saved.dir);
  }
  const pid = op.pid ?? 0;
  return {
    process: op,
    pid,
    peakRss: () => peakResidentBytes(pid),
    rss: () => residentBytes(pid),
    // SIGTERM: a clean exit is what writes the CPU profile.
    stop: async () => void (await op.stop(20_000)),
  };
}
