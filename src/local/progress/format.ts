import type { ParameterValues } from "../../api/index.js";

/** Numbers for people: 4 significant digits, no trailing zeros, exponent form for tiny/huge ones. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e9) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e9)) return value.toExponential(2).replace(/\.?0+e/, "e");
  return String(Number(value.toPrecision(4)));
}

export function formatValue(value: string | number | boolean): string {
  return typeof value === "number" ? formatNumber(value) : String(value);
}

/** `{lr: 0.01, hidden: 64}` */
export function formatParameters(parameters: ParameterValues): string {
  const parts = Object.entries(parameters).map(([k, v]) => `${k}: ${formatValue(v)}`);
  return `{${parts.join(", ")}}`;
}

/** `val_accuracy=0.95 loss=0.12`, the objective first. */
export function formatMetrics(metrics: Record<string, number> | undefined, first?: string): string {
  const entries = Object.entries(metrics ?? {});
  entries.sort(([a], [b]) => (a === first ? -1 : b === first ? 1 : 0));
  return entries.map(([k, v]) => `${k}=${formatNumber(v)}`).join(" ");
}

/** `45s`, `3m05s`, `1h02m` */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}
