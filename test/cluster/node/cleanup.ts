// Undoes everything a real node did to the host, whether it stopped cleanly
// or crashed: processes (found by executable, not by a PID file that a crash
// may not have written), containers (found by the kubelet's cgroups), mounts,
// network, state directories. Every step is safe on a clean host, so
// `cluster:down` can always run it.
import { existsSync, readdirSync, readFileSync, readlinkSync, rmdirSync, statSync } from "node:fs";
import { readlink, rm } from "node:fs/promises";
import { join } from "node:path";
import { sleep } from "../../support/wait.js";
import { defaultBinDir } from "../binaries.js";
import { isAliveAs } from "../state.js";
import { trySh } from "./exec.js";
import {
  cniCacheDir,
  cniNetwork,
  containerLogLinks,
  defaultPodLogs,
  harnessNodeBinaries,
  kubeletDefaultRoot,
  kubeletRootMark,
  kubeNodeBinaries,
  paths,
  runRoot,
  stateRoot,
} from "./layout.js";
import { networkLeftovers, tearDownNetwork } from "./network.js";

const cgroupRoot = "/sys/fs/cgroup";
const podCgroup = "kubepods";

export interface NodeBinDirs {
  /** etcd, containerd, ctr, fakegpu: the harness's pinned build. */
  binDir: string;
  /** kubelet, kube-proxy and the control plane: the Kubernetes release under test. */
  kubeBinDir: string;
}

/** The bin dirs the running (or crashed) node was started from. */
export function recordedBinDirs(): NodeBinDirs {
  try {
    return JSON.parse(readFileSync(paths.binDirRecord, "utf8")) as NodeBinDirs;
  } catch {
    return { binDir: defaultBinDir(), kubeBinDir: defaultBinDir() };
  }
}

export const recordedBinDir = () => recordedBinDirs().binDir;

/** Host directories the harness created outside its roots (listed in the kubelet root's mark). */
function createdHostDirs(): string[] {
  try {
    return JSON.parse(readFileSync(kubeletRootMark, "utf8")).created as string[];
  } catch {
    return existsSync(kubeletRootMark) ? [kubeletDefaultRoot] : [];
  }
}

/** The node's control plane, by recorded PID, if each still runs the recorded executable. */
function recordedControlPlane(): number[] {
  try {
    const processes = JSON.parse(readFileSync(paths.controlPlaneRecord, "utf8")) as {
      pid: number;
      command: string;
    }[];
    return processes.filter(({ pid, command }) => isAliveAs(pid, command)).map(({ pid }) => pid);
  } catch {
    return [];
  }
}

/** PIDs whose executable is one of `names` in `binDir`. */
function processesOf(binDir: string, names: readonly string[]): number[] {
  const wanted = new Set(names.map((n) => join(binDir, n)));
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const exe = readlinkSync(`/proc/${entry}/exe`).replace(/ \(deleted\)$/, "");
      if (wanted.has(exe)) pids.push(Number(entry));
    } catch {
      // gone, or a kernel thread
    }
  }
  return pids;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function killAll(pids: number[], graceMs: number): Promise<void> {
  for (const pid of pids) signal(pid, "SIGTERM");
  for (let waited = 0; waited < graceMs && pids.some(alive); waited += 100) await sleep(100);
  for (const pid of pids.filter(alive)) signal(pid, "SIGKILL");
  for (let waited = 0; waited < 5000 && pids.some(alive); waited += 100) await sleep(100);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Every cgroup directory of the pods, deepest first, across the v1 hierarchies (or v2's one). */
function podCgroups(): string[] {
  const dirs: string[] = [];
  const walk = (dir: string) => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry);
      try {
        if (statSync(path).isDirectory()) walk(path);
      } catch {
        // raced with removal
      }
    }
    dirs.push(dir);
  };
  const roots = existsSync(join(cgroupRoot, "cgroup.controllers"))
    ? [cgroupRoot]
    : readdirSync(cgroupRoot).map((h) => join(cgroupRoot, h));
  for (const root of roots) {
    const top = join(root, podCgroup);
    if (existsSync(top)) walk(top);
  }
  return dirs;
}

function podProcesses(): number[] {
  const pids = new Set<number>();
  for (const dir of podCgroups()) {
    try {
      for (const line of readFileSync(join(dir, "cgroup.procs"), "utf8").split("\n")) {
        if (line) pids.add(Number(line));
      }
    } catch {
      // not a cgroup with processes
    }
  }
  return [...pids];
}

/** Mount points under our roots (and pod volumes under the kubelet's fixed dir), deepest first. */
function ourMounts(): string[] {
  const roots = [stateRoot, runRoot];
  const points = readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((line) => line.split(" ")[4] ?? "")
    .map((p) => p.replace(/\\040/g, " "))
    .filter((p) => roots.some((r) => p === r || p.startsWith(`${r}/`)));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

export async function cleanUpHost(): Promise<void> {
  const { binDir, kubeBinDir } = recordedBinDirs();
  // Agents first, so nothing restarts the containers we are about to kill.
  await killAll([...processesOf(kubeBinDir, kubeNodeBinaries), ...processesOf(binDir, ["fakegpu"])], 10_000);
  await killAll(podProcesses(), 2_000);
  await killAll(processesOf(binDir, ["containerd"]), 10_000);
  await killAll(processesOf(binDir, ["containerd-shim-runc-v2"]), 2_000);
  await killAll(recordedControlPlane(), 10_000);
  for (const dir of podCgroups()) {
    try {
      rmdirSync(dir);
    } catch {
      // v1 controllers that share a hierarchy, or a process we could not kill
    }
  }
  for (const point of ourMounts()) {
    if (!(await trySh("umount", [point]))) await trySh("umount", ["-l", point]);
  }
  await tearDownNetwork(join(kubeBinDir, "kube-proxy"));
  const created = createdHostDirs();
  await removeLogLinks([paths.podLogs, ...created.filter((dir) => dir === defaultPodLogs)]);
  await removeCniCache();
  // The mark lives in kubeletDefaultRoot, which the list names: read above.
  for (const dir of created) await rm(dir, { recursive: true, force: true });
  await rm(stateRoot, { recursive: true, force: true });
  await rm(runRoot, { recursive: true, force: true });
}

/** The kubelet's links to our pods' logs, in a /var/log/containers that may not be ours. */
async function removeLogLinks(logDirs: string[]): Promise<void> {
  let entries: string[];
  try {
    entries = readdirSync(containerLogLinks);
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(containerLogLinks, entry);
    const target = await readlink(path).catch(() => "");
    if (logDirs.some((dir) => target.startsWith(`${dir}/`))) await rm(path, { force: true });
  }
}

async function removeCniCache(): Promise<void> {
  const results = join(cniCacheDir, "results");
  let entries: string[];
  try {
    entries = readdirSync(results);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.startsWith(`${cniNetwork}-`)) await rm(join(results, entry), { force: true });
  }
}

/** What a previous node left on this host, in words; empty when the host is clean. */
export async function hostLeftovers(): Promise<string[]> {
  const found = await networkLeftovers();
  for (const dir of [stateRoot, runRoot]) if (existsSync(dir)) found.push(dir);
  found.push(...createdHostDirs().filter((dir) => existsSync(dir)));
  const { binDir, kubeBinDir } = recordedBinDirs();
  const running = [
    ...processesOf(binDir, harnessNodeBinaries),
    ...processesOf(kubeBinDir, kubeNodeBinaries),
    ...recordedControlPlane(),
  ];
  if (running.length > 0) found.push(`node processes (PIDs ${running.join(", ")})`);
  if (podProcesses().length > 0) found.push(`containers in the ${podCgroup} cgroups`);
  return found;
}
