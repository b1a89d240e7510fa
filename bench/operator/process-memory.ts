// Resident memory of a process from /proc: VmHWM is the kernel's own peak,
// so short spikes between polls are not missed.

import { readFileSync } from "node:fs";

function statusField(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const text = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text)?.[1];
    return kb === undefined ? Number.NaN : Number(kb) * 1024;
  } catch {
    return Number.NaN;
  }
}

export const residentBytes = (pid: number) => statusField(pid, "VmRSS");
export const peakResidentBytes = (pid: number) => statusField(pid, "VmHWM");
export const mib = (bytes: number) => bytes / 1024 / 1024;
