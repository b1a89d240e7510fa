// Where a pod's files live on this machine, and how container paths map onto
// them. Processes cannot mount anything, so every emptyDir volume becomes a
// directory under the pod's folder, and a container's mount paths (and its
// terminationMessagePath) are rewritten to those directories wherever they occur
// in its command, args, env values and workingDir. The mapping is also passed as
// JSON in NODE_AGENT_MOUNTS, and the termination message file as
// TERMINATION_MESSAGE_PATH, for programs that build paths at run time.
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { V1Container, V1Pod } from "@kubernetes/client-node";

export const DEFAULT_TERMINATION_MESSAGE_PATH = "/dev/termination-log";

export interface PathMapping {
  /** The path the container asked for (a mountPath, or its terminationMessagePath). */
  from: string;
  /** The host path standing in for it. */
  to: string;
}

export function podDir(stateDir: string, pod: V1Pod): string {
  return join(stateDir, "pods", pod.metadata?.uid ?? "unknown");
}

function volumeDir(stateDir: string, pod: V1Pod, volume: string): string {
  return join(podDir(stateDir, pod), "volumes", volume);
}

export function terminationMessageFile(stateDir: string, pod: V1Pod, container: string): string {
  return join(podDir(stateDir, pod), "containers", container, "termination-log");
}

/**
 * Creates a directory per volume. emptyDir is the real thing; other volume
 * kinds (configMap, secret, projected…) get an empty directory too, so their
 * mount paths still resolve somewhere harmless.
 */
export async function preparePodDirs(stateDir: string, pod: V1Pod): Promise<void> {
  for (const volume of pod.spec?.volumes ?? []) {
    await mkdir(volumeDir(stateDir, pod, volume.name), { recursive: true });
  }
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  for (const c of containers)
    await mkdir(join(podDir(stateDir, pod), "containers", c.name), { recursive: true });
}

/** The container's path mappings, longest first so nested mounts win. */
export function containerPathMappings(stateDir: string, pod: V1Pod, container: V1Container): PathMapping[] {
  const mappings: PathMapping[] = [];
  for (const mount of container.volumeMounts ?? []) {
    const base = volumeDir(stateDir, pod, mount.name);
    // A subPath escaping the volume is refused by the API server's validation already.
    const to = mount.subPath ? resolve(base, mount.subPath) : base;
    mappings.push({ from: trimSlash(mount.mountPath), to });
  }
  mappings.push({
    from: container.terminationMessagePath ?? DEFAULT_TERMINATION_MESSAGE_PATH,
    to: terminationMessageFile(stateDir, pod, container.name),
  });
  return mappings.sort((a, b) => b.from.length - a.from.length);
}

/** Directories named by subPath mounts must exist before the container starts, as the kubelet creates them. */
export async function prepareSubPaths(stateDir: string, pod: V1Pod, container: V1Container): Promise<void> {
  for (const mount of container.volumeMounts ?? []) {
    if (mount.subPath)
      await mkdir(resolve(volumeDir(stateDir, pod, mount.name), mount.subPath), { recursive: true });
  }
}

const trimSlash = (p: string): string => (p.length > 1 ? p.replace(/\/+$/, "") : p);
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Rewrites container paths in a string: `/data/x` with `/data` mounted becomes
 * `<host dir>/x`. A path only matches as a whole component, so `/database`
 * and `/srv/data` stay as they are.
 */
export function rewritePaths(value: string, mappings: PathMapping[]): string {
  if (mappings.length === 0) return value;
  const pattern = new RegExp(
    mappings.map((m) => `(?<![\\w.\\-/])${escapeRegExp(m.from)}(?![\\w.\\-])`).join("|"),
    "g",
  );
  return value.replace(pattern, (matched) => mappings.find((m) => m.from === matched)?.to ?? matched);
}
