// Hands out a node's `nvidia.com/gpu` device indices to pods, as the device
// plugin does, so a container sees which GPUs are its own through
// NVIDIA_VISIBLE_DEVICES / CUDA_VISIBLE_DEVICES. The scheduler has already
// checked capacity; running out here means the books disagree (the kubelet's
// UnexpectedAdmissionError).
import type { V1Container, V1Pod } from "@kubernetes/client-node";

export const GPU_RESOURCE = "nvidia.com/gpu";

export function containerGpus(c: V1Container): number {
  const raw = c.resources?.limits?.[GPU_RESOURCE] ?? c.resources?.requests?.[GPU_RESOURCE];
  const n = Number(raw ?? 0);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** Devices a pod needs at once: its long-running containers together, or its largest init container. */
export function podGpus(pod: V1Pod): number {
  const inits = pod.spec?.initContainers ?? [];
  const sidecars = inits.filter((c) => c.restartPolicy === "Always");
  const longRunning = [...sidecars, ...(pod.spec?.containers ?? [])].reduce(
    (n, c) => n + containerGpus(c),
    0,
  );
  return Math.max(longRunning, ...inits.map(containerGpus));
}

export class GpuAllocator {
  private readonly owner: Array<string | undefined>;

  constructor(count: number) {
    this.owner = new Array<string | undefined>(count).fill(undefined);
  }

  /** Indices for the pod, or undefined when too few are free. */
  allocate(podUid: string, count: number): number[] | undefined {
    const mine = this.owner.flatMap((o, i) => (o === podUid ? [i] : []));
    if (mine.length >= count) return mine.slice(0, count);
    const free = this.owner.flatMap((o, i) => (o === undefined ? [i] : []));
    if (free.length < count - mine.length) return undefined;
    for (const i of free.slice(0, count - mine.length)) this.owner[i] = podUid;
    return this.owner.flatMap((o, i) => (o === podUid ? [i] : []));
  }

  release(podUid: string): void {
    for (let i = 0; i < this.owner.length; i++) if (this.owner[i] === podUid) this.owner[i] = undefined;
  }
}
