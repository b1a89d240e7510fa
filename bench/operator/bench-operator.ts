// The built operator as a child process (the integration tests' OperatorProcess),
// at log level info (the tests run it at debug, which costs CPU per event), with
// its resident memory sampled from /proc and optionally a V8 CPU profile.
import { mkdirSync } from "node:fs";
import { OperatorProcess } from "../../test/integration/operator-process.js";
import { peakResidentBytes, residentBytes } from "./process-memory.js";

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
  const saved = process.env.NODE_OPTIONS;
  if (cpuProfileDir) {
    mkdirSync(cpuProfileDir, { recursive: true });
    // Inherited by the spawned operator only; reset at once below.
    process.env.NODE_OPTIONS = `${saved ?? ""} --cpu-prof --cpu-prof-dir=${cpuProfileDir}`.trim();
  }
  try {
    await op.start(60_000);
  } finally {
    if (saved === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = saved;
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
