// Where `npm run cluster:up` keeps what `cluster:down` needs to stop it.
import { readFileSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

export interface ClusterState {
  /** The daemon process holding the cluster. */
  daemonPid: number;
  status: "starting" | "ready" | "failed";
  kubeconfigPath: string;
  logDir: string;
  /** Every process the daemon started, with its executable, to check a PID was not reused. */
  processes: { pid: number; command: string }[];
  error?: string;
}

// One cluster:up cluster per user; HYPERTUNE_CLUSTER_DIR gives a second one its own state.
export const stateDir =
  process.env.HYPERTUNE_CLUSTER_DIR ||
  join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "hypertune", "cluster");
export const statePath = join(stateDir, "state.json");

export function readState(): ClusterState | undefined {
  try {
    return JSON.parse(readFileSync(statePath, "utf8")) as ClusterState;
  } catch {
    return undefined;
  }
}

export async function writeState(state: ClusterState): Promise<void> {
  await mkdir(dirname(statePath), { recursive: true });
  await writeFile(`${statePath}.tmp`, JSON.stringify(state, null, 2));
  await rename(`${statePath}.tmp`, statePath);
}

export async function removeState(): Promise<void> {
  await rm(statePath, { force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Alive and still running `command` (Linux /proc), so a reused PID is left alone. */
export function isAliveAs(pid: number, command: string): boolean {
  if (!isAlive(pid)) return false;
  try {
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] ?? "";
    return argv0 === command;
  } catch {
    return true; // no /proc: trust the PID
  }
}
