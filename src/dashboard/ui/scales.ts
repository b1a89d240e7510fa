/**
 * Scales, ticks and the colour ramp: DOM-free, so the page's canvas views and
 * the SVG export (run in Node) place and label things the same way.
 */

export interface Scale {
  (value: number): number;
  domain: [number, number];
  log: boolean;
  /**
   * Many values at once (NaN stays NaN): one loop without a call per value,
   * for columns of 50,000 trials.
   */
  positions(values: ArrayLike<number>, out?: Float64Array): Float64Array;
}

export function scale(domain: [number, number], range: [number, number], log = false): Scale {
  const f = log ? Math.log10 : (v: number) => v;
  let [d0, d1] = [f(domain[0]), f(domain[1])];
  if (!Number.isFinite(d0) || !Number.isFinite(d1)) [d0, d1] = [0, 1];
  if (d0 === d1) [d0, d1] = [d0 - 0.5, d1 + 0.5];
  const k = (range[1] - range[0]) / (d1 - d0);
  const r0 = range[0];
  const s = ((v: number) => r0 + (f(v) - d0) * k) as Scale;
  s.domain = domain;
  s.log = log;
  s.positions = (values, out = new Float64Array(values.length)) => {
    const n = values.length;
    if (log) for (let i = 0; i < n; i++) out[i] = r0 + (Math.log10(values[i] as number) - d0) * k;
    else for (let i = 0; i < n; i++) out[i] = r0 + ((values[i] as number) - d0) * k;
    return out;
  };
  return s;
}

/** Extent of the finite values, or [0, 1] when there are none. */
export function extent(values: ArrayLike<number | null>): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

export function ticks(s: Scale, count = 5): number[] {
  const [lo, hi] = s.domain;
  if (s.log && lo > 0 && hi > 0) {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      const v = 10 ** e;
      if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
    }
    return out.length >= 2 ? out : [lo, hi];
  }
  const span = hi - lo || 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((m) => span / m <= count) ?? 10 * power;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

export function formatTick(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1);
  return String(Number(v.toPrecision(4)));
}

/** Viridis, sampled: readable on white and for colour-blind readers. */
export const RAMP = [
  "#440154",
  "#482475",
  "#414487",
  "#355f8d",
  "#2a788e",
  "#21918c",
  "#22a884",
  "#44bf70",
  "#7ad151",
  "#bddf26",
  "#fde725",
];

/** Colour bucket of t in [0, 1]; views group marks by bucket to draw each colour once. */
export function bucketOf(t: number): number {
  if (!Number.isFinite(t)) return 0;
  return Math.min(RAMP.length - 1, Math.max(0, Math.floor(t * RAMP.length)));
}

/** Position of a parameter value on an axis: numbers as they are, categories by their place in the list. */
export function numericValue(v: unknown, categories?: readonly unknown[]): number | null {
  if (categories) {
    const i = categories.indexOf(v);
    return i < 0 ? null : i;
  }
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}
