/** Small statistics for the benchmark report: quantiles and the Mann–Whitney U test. */

export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 for erf; error < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Mid-ranks (1-based) of the pooled sample, and the tie groups' sizes. */
function midRanks(pooled: readonly number[]): { ranks: number[]; ties: number[] } {
  const order = pooled.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(pooled.length);
  const ties: number[] = [];
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]?.[0] === order[i]?.[0]) j++;
    for (let k = i; k <= j; k++) ranks[order[k]?.[1] as number] = (i + j) / 2 + 1;
    if (j > i) ties.push(j - i + 1);
    i = j + 1;
  }
  return { ranks, ties };
}

/** Number of ways to reach each U with sizes (m, n): the exact null distribution without ties. */
function exactCounts(m: number, n: number): number[] {
  // counts[i][j][u] built up by the recurrence f(m,n,u) = f(m-1,n,u-n) + f(m,n-1,u).
  let table: number[][][] = [];
  for (let i = 0; i <= m; i++) {
    const row: number[][] = [];
    for (let j = 0; j <= n; j++) {
      if (i === 0 || j === 0) row.push([1]);
      else {
        const size = i * j + 1;
        const counts = new Array<number>(size).fill(0);
        const a = table[i - 1]?.[j] ?? [];
        const b = row[j - 1] ?? [];
        for (let u = 0; u < size; u++) counts[u] = (u - j >= 0 ? (a[u - j] ?? 0) : 0) + (b[u] ?? 0);
        row.push(counts);
      }
    }
    table = [...table, row];
  }
  return table[m]?.[n] ?? [1];
}

export interface MannWhitney {
  /** U of the first sample: pairs where it is larger, ties counting ½. */
  u: number;
  /** Two-sided p-value. */
  p: number;
  exact: boolean;
}

/**
 * Two-sided Mann–Whitney U test: exact when there are no ties and both
 * samples are small, else the normal approximation with tie correction and
 * continuity correction.
 */
export function mannWhitney(a: readonly number[], b: readonly number[]): MannWhitney {
  const m = a.length;
  const n = b.length;
  const { ranks, ties } = midRanks([...a, ...b]);
  const rankSumA = ranks.slice(0, m).reduce((s, r) => s + r, 0);
  const u = rankSumA - (m * (m + 1)) / 2;
  if (ties.length === 0 && m <= 20 && n <= 20) {
    const counts = exactCounts(m, n);
    const total = counts.reduce((s, c) => s + c, 0);
    const low = Math.min(u, m * n - u);
    let tail = 0;
    for (let k = 0; k <= low; k++) tail += counts[k] ?? 0;
    return { u, p: Math.min(1, (2 * tail) / total), exact: true };
  }
  const N = m + n;
  const tieTerm = ties.reduce((s, t) => s + t ** 3 - t, 0) / (N * (N - 1));
  const variance = ((m * n) / 12) * (N + 1 - tieTerm);
  if (variance <= 0) return { u, p: 1, exact: false };
  const z = (Math.abs(u - (m * n) / 2) - 0.5) / Math.sqrt(variance);
  return { u, p: Math.min(1, 2 * (1 - normalCdf(Math.max(0, z)))), exact: false };
}
