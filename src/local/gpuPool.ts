/**
 * Hands out GPU indices (from `--gpus`) to trials. A trial gets all of its
 * GPUs at once or none, so two trials never share a device.
 */
export class GpuPool {
  private readonly free: number[];

  constructor(readonly devices: readonly number[]) {
    this.free = [...devices];
  }

  get freeCount(): number {
    return this.free.length;
  }

  /** `count` distinct free devices, lowest first, or undefined while too few are free. */
  acquire(count: number): number[] | undefined {
    if (count > this.free.length) return undefined;
    this.free.sort((a, b) => a - b);
    return this.free.splice(0, count);
  }

  release(devices: readonly number[]): void {
    for (const d of devices) if (this.devices.includes(d) && !this.free.includes(d)) this.free.push(d);
  }
}

/** Parses `0,1,3` (also `0-3`) into distinct non-negative device indices. */
export function parseGpuList(text: string): number[] | string {
  const devices: number[] = [];
  for (const part of text.split(",").map((p) => p.trim())) {
    if (part === "") continue;
    const range = /^(\d+)-(\d+)$/.exec(part);
    if (range) {
      const from = Number(range[1]);
      const to = Number(range[2]);
      if (to < from) return `bad GPU range "${part}"`;
      for (let d = from; d <= to; d++) devices.push(d);
    } else if (/^\d+$/.test(part)) {
      devices.push(Number(part));
    } else {
      return `"${part}" is not a GPU index (expected e.g. --gpus 0,1,2)`;
    }
  }
  if (devices.length === 0) return "--gpus needs at least one GPU index, e.g. --gpus 0,1";
  if (new Set(devices).size !== devices.length) return "--gpus lists a GPU twice";
  return devices;
}
