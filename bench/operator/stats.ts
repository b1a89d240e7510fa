// Quantiles of a Prometheus histogram's buckets (percentiles of samples are test/support/stats.ts's).

export interface Bucket {
  le: number;
  count: number;
}

/** Cumulative `<name>_bucket` samples whose labels include `match` (e.g. `controller="trial"`). */
export function histogramBuckets(text: string, name: string, match = ""): Bucket[] {
  const buckets: Bucket[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}_bucket{`) || !line.includes(match)) continue;
    const le = /le="([^"]+)"/.exec(line)?.[1];
    const value = Number(line.slice(line.lastIndexOf(" ") + 1));
    if (le !== undefined)
      buckets.push({ le: le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le), count: value });
  }
  return buckets.sort((a, b) => a.le - b.le);
}

/**
 * As PromQL's histogram_quantile: linear inside the bucket the rank falls in;
 * a rank in the +Inf bucket answers the highest finite bound.
 */
export function histogramQuantile(buckets: Bucket[], q: number): number {
  const total = buckets.at(-1)?.count ?? 0;
  if (total === 0) return Number.NaN;
  const rank = q * total;
  let lowerLe = 0;
  let lowerCount = 0;
  for (const b of buckets) {
    if (b.count >= rank) {
      if (!Number.isFinite(b.le)) return lowerLe;
      return lowerLe + ((b.le - lowerLe) * (rank - lowerCount)) / Math.max(1, b.count - lowerCount);
    }
    lowerLe = b.le;
    lowerCount = b.count;
  }
  return lowerLe;
}

export const ms = (seconds: number) => seconds * 1000;
export const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");

export interface Quantiles {
  p50: number;
  p99: number;
}

/** p50 and p99 of each controller's reconcile duration, in ms, from the operator's /metrics text. */
export function reconcileQuantilesMs(text: string): Record<string, Quantiles> {
  const reconcileMs: Record<string, Quantiles> = {};
  for (const controller of ["tuningjob", "trial"]) {
    const b = histogramBuckets(text, "hypertune_reconcile_duration_seconds", `controller="${controller}"`);
    reconcileMs[controller] = {
      p50: histogramQuantile(b, 0.5) * 1000,
      p99: histogramQuantile(b, 0.99) * 1000,
    };
  }
  return reconcileMs;
}
