/**
 * Many marks made cheap to paint. Chromium paints a canvas path by filling
 * it, anti-aliased, at a few microseconds a square or line segment, and does
 * so after the script has run: 50,000 parallel-coordinate lines of eight
 * segments each kept the page blank for a second after its script was done.
 * Two remedies, both DOM-free so they are unit-tested:
 *
 * - `PixelDots`: squares written straight into an RGBA pixel buffer, which
 *   the page then draws as one image (a few ms for 50,000).
 * - `SnappedSegments`: line segments snapped to a grid of `cell` pixels
 *   and merged where they coincide; each distinct segment is stroked once,
 *   as opaque as its n copies at opacity α would be together (1 − (1 − α)ⁿ),
 *   its colour weighing each colour's copies by what they would show.
 */

export type Rgba = readonly [number, number, number, number];

/** `#rrggbb` and an opacity in [0, 1] as 0–255 channels. */
export function rgbaOf(hex: string, alpha = 1): Rgba {
  const n = Number.parseInt(hex.slice(1, 7), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, Math.round(Math.min(1, Math.max(0, alpha)) * 255)];
}

/** Filled squares in a pixel buffer of the canvas's device size, blended source-over. */
export class PixelDots {
  readonly pixels: Uint8ClampedArray<ArrayBuffer>;
  /** The same pixels as 32-bit words: an opaque square's rows are filled a word at a time. */
  private readonly words: Uint32Array;

  /** `width` and `height` in device pixels; marks are placed in CSS pixels, times `ratio`. */
  constructor(
    readonly width: number,
    readonly height: number,
    readonly ratio = 1,
  ) {
    this.pixels = new Uint8ClampedArray(width * height * 4);
    this.words = new Uint32Array(this.pixels.buffer);
  }

  /** A square of `size` CSS pixels centred on (x, y). */
  square(x: number, y: number, size: number, colour: Rgba): void {
    const half = (size * this.ratio) / 2;
    const cx = x * this.ratio;
    const cy = y * this.ratio;
    const width = this.width;
    const x0 = Math.max(0, Math.round(cx - half));
    const x1 = Math.min(width, Math.round(cx + half));
    const y0 = Math.max(0, Math.round(cy - half));
    const y1 = Math.min(this.height, Math.round(cy + half));
    // Indexed, not destructured: this runs 100,000 times in a draw, often before it is optimised.
    const r = colour[0];
    const g = colour[1];
    const b = colour[2];
    const a = colour[3];
    if (a === 255) {
      // Bytes r, g, b, a in memory order: little-endian words, as every browser's platform is.
      const word = ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
      const words = this.words;
      for (let py = y0; py < y1; py++)
        for (let k = py * width + x0; k < py * width + x1; k++) words[k] = word;
      return;
    }
    const p = this.pixels;
    const sa = a / 255;
    for (let py = y0; py < y1; py++) {
      for (let k = (py * width + x0) * 4; k < (py * width + x1) * 4; k += 4) {
        const da = (p[k + 3] as number) / 255;
        const keep = da * (1 - sa);
        const oa = sa + keep;
        p[k] = (r * sa + (p[k] as number) * keep) / oa;
        p[k + 1] = (g * sa + (p[k + 1] as number) * keep) / oa;
        p[k + 2] = (b * sa + (p[k + 2] as number) * keep) / oa;
        p[k + 3] = oa * 255;
      }
    }
  }
}

/** One stroke's worth of merged segments: x0 y0 x1 y1 quadruples. */
export interface SegmentGroup {
  bucket: number;
  opacity: number;
  coords: number[];
}

/** Opacity steps merged segments are drawn at: one stroke per colour and step. */
const OPACITY_STEPS = 32;
const X_LIMIT = 8192;
/** Past this many grid cells (x pairs × rows²), distinct segments are found with a Map instead of an array. */
const DENSE_CELLS = 1 << 22;

/**
 * The line segments of many trials, snapped once to a grid (x to whole
 * pixels, y to `cell` pixels) and merged per draw for the trials a filter
 * keeps. The first merge numbers the distinct snapped segments; each draw
 * after is one pass over typed arrays counting them.
 */
export class SnappedSegments {
  private readonly rows: number;
  private readonly pairs = new Map<number, number>();
  private readonly pairEnds: number[] = [];
  private trials = new Int32Array(1024);
  /** Per segment: its x pair and y cells as one number (past 2³¹ for many x pairs, so not an Int32Array). */
  private keys = new Float64Array(1024);
  private used = 0;
  /** A direct-mapped cache of x pairs: curves alternate between a few, and a Map lookup per segment showed. */
  private readonly cachedKeys = new Float64Array(64).fill(-1);
  private readonly cachedPairs = new Int32Array(64);
  /** Once selected from: the distinct segments, and each trial's segments as their numbers. */
  private numbered: Numbered | undefined;
  /** Every trial's copies per distinct segment and bucket, for the bucket array they were counted with. */
  private totals: { bucket: Uint8Array | undefined; buckets: number; counts: Float32Array } | undefined;

  /** `cell`: the grid step of y in pixels; `height`: the largest y. */
  constructor(
    private readonly cell: number,
    height: number,
  ) {
    this.rows = Math.floor(Math.max(0, height) / cell) + 2;
  }

  get length(): number {
    return this.used;
  }

  /** The grid row of a y. */
  row(y: number): number {
    return clamp(Math.round(y / this.cell), this.rows);
  }

  /** The grid rows of many y (−1 for NaN), for `addRun`. */
  rowsOf(ys: Float64Array): Int32Array {
    const out = new Int32Array(ys.length);
    const last = this.rows - 1;
    for (let i = 0; i < ys.length; i++) {
      const y = ys[i] as number;
      out[i] = Number.isNaN(y) ? -1 : Math.min(last, Math.max(0, Math.round(y / this.cell)));
    }
    return out;
  }

  /** A segment of `trial` (its row in the view's columns). */
  add(trial: number, x0: number, y0: number, x1: number, y1: number): void {
    this.numbered = undefined;
    this.reserve(1);
    this.keys[this.used] =
      this.pairOf(x0, x1) * this.rows * this.rows + this.row(y0) * this.rows + this.row(y1);
    this.trials[this.used] = trial;
    this.used++;
  }

  /**
   * Every trial's segment between two x: `from[i]` and `to[i]` are trial i's
   * grid rows there (`row`), or −1 where it has no point. Cheaper than `add`
   * per segment when the x pair is the same for all (parallel axes).
   */
  addRun(x0: number, x1: number, from: Int32Array, to: Int32Array): void {
    this.numbered = undefined;
    this.reserve(from.length);
    const base = this.pairOf(x0, x1) * this.rows * this.rows;
    const { rows, keys, trials } = this;
    let used = this.used;
    for (let i = 0; i < from.length; i++) {
      const r0 = from[i] as number;
      const r1 = to[i] as number;
      if (r0 < 0 || r1 < 0) continue;
      keys[used] = base + r0 * rows + r1;
      trials[used] = i;
      used++;
    }
    this.used = used;
  }

  private pairOf(x0: number, x1: number): number {
    const qx0 = clamp(Math.round(x0), X_LIMIT);
    const qx1 = clamp(Math.round(x1), X_LIMIT);
    const pairKey = qx0 * X_LIMIT + qx1;
    const slot = (qx0 * 31 + qx1) & 63;
    if (this.cachedKeys[slot] === pairKey) return this.cachedPairs[slot] as number;
    let pair = this.pairs.get(pairKey);
    if (pair === undefined) {
      pair = this.pairEnds.length / 2;
      this.pairs.set(pairKey, pair);
      this.pairEnds.push(qx0, qx1);
    }
    this.cachedKeys[slot] = pairKey;
    this.cachedPairs[slot] = pair;
    return pair;
  }

  /** Room for `more` segments. */
  private reserve(more: number): void {
    if (this.used + more <= this.keys.length) return;
    const size = 2 ** Math.ceil(Math.log2(this.used + more));
    this.keys = grown(this.keys, new Float64Array(size));
    this.trials = grown(this.trials, new Int32Array(size));
  }

  /**
   * The segments of the trials with `selected[trial]` set, merged, and those
   * of the others (in one colour). `bucket[trial]`, when given, is its colour among
   * `buckets`, counted apart so a merged segment's colour can weigh its
   * copies as drawing them would. All trials' counts are kept (for the same
   * `bucket` array), so a call walks only the segments of the smaller side:
   * the trials a filter leaves out, or those it keeps.
   */
  select(
    selected: Uint8Array,
    bucket?: Uint8Array,
    buckets = 1,
  ): { kept: MergedSegments; rest: MergedSegments } {
    const numbered = this.number();
    const { start, ids } = numbered;
    const d = numbered.keys.length;
    const trials = start.length - 1;
    let totals = this.totals;
    if (!totals || totals.bucket !== bucket || totals.buckets !== buckets) {
      const counts = new Float32Array(d * buckets);
      for (let t = 0; t < trials; t++) {
        const b = bucket ? (bucket[t] as number) : 0;
        for (let k = start[t] as number; k < (start[t + 1] as number); k++) {
          const c = (ids[k] as number) * buckets + b;
          counts[c] = (counts[c] as number) + 1;
        }
      }
      totals = { bucket, buckets, counts };
      this.totals = totals;
    }
    let kept = 0;
    for (let t = 0; t < trials; t++) if (selected[t]) kept++;
    // Count the smaller side; the other is what remains of the totals.
    const countKept = kept <= trials - kept;
    const side = new Float32Array(d * buckets);
    for (let t = 0; t < trials; t++) {
      if (Boolean(selected[t]) !== countKept) continue;
      const b = bucket ? (bucket[t] as number) : 0;
      for (let k = start[t] as number; k < (start[t + 1] as number); k++) {
        const c = (ids[k] as number) * buckets + b;
        side[c] = (side[c] as number) + 1;
      }
    }
    const other = totals.counts.slice();
    for (let c = 0; c < other.length; c++) other[c] = (other[c] as number) - (side[c] as number);
    const [keptCounts, restCounts] = countKept ? [side, other] : [other, side];
    // The rest is drawn in one colour: its buckets added up, so it strokes once per opacity step.
    const restTotal = new Float32Array(d);
    for (let c = 0; c < restCounts.length; c++) {
      const id = Math.floor(c / buckets);
      restTotal[id] = (restTotal[id] as number) + (restCounts[c] as number);
    }
    return { kept: this.merged(keptCounts, buckets), rest: this.merged(restTotal, 1) };
  }

  /** The distinct segments with copies, from counts per (segment, bucket). */
  private merged(counts: Float32Array, buckets: number): MergedSegments {
    const { keys } = this.number();
    const rows = this.rows;
    const merged = new MergedSegments(keys.length, buckets);
    for (let id = 0; id < keys.length; id++) {
      let any = false;
      for (let b = id * buckets; b < (id + 1) * buckets && !any; b++) any = (counts[b] as number) > 0;
      if (!any) continue;
      const key = keys[id] as number;
      const pair = Math.floor(key / (rows * rows));
      const cell = key - pair * rows * rows;
      merged.push(
        this.pairEnds[2 * pair] as number,
        Math.floor(cell / rows) * this.cell,
        this.pairEnds[2 * pair + 1] as number,
        (cell % rows) * this.cell,
        counts,
        id * buckets,
      );
    }
    return merged;
  }

  /** Numbers the distinct snapped segments and lists each trial's, once. */
  private number(): Numbered {
    if (this.numbered) return this.numbered;
    const rows = this.rows;
    const cells = (this.pairEnds.length / 2) * rows * rows;
    const segmentIds = new Int32Array(this.used);
    const distinct: number[] = [];
    if (cells <= DENSE_CELLS) {
      const idOf = new Int32Array(cells).fill(-1);
      for (let s = 0; s < this.used; s++) {
        const key = this.keys[s] as number;
        let id = idOf[key] as number;
        if (id < 0) {
          id = distinct.length;
          idOf[key] = id;
          distinct.push(key);
        }
        segmentIds[s] = id;
      }
    } else {
      const idOf = new Map<number, number>();
      for (let s = 0; s < this.used; s++) {
        const key = this.keys[s] as number;
        let id = idOf.get(key);
        if (id === undefined) {
          id = distinct.length;
          idOf.set(key, id);
          distinct.push(key);
        }
        segmentIds[s] = id;
      }
    }
    // Each trial's segments together: start[t] … start[t + 1] in ids.
    let trials = 0;
    for (let s = 0; s < this.used; s++) trials = Math.max(trials, (this.trials[s] as number) + 1);
    const start = new Int32Array(trials + 1);
    for (let s = 0; s < this.used; s++)
      start[(this.trials[s] as number) + 1] = (start[(this.trials[s] as number) + 1] as number) + 1;
    for (let t = 0; t < trials; t++) start[t + 1] = (start[t + 1] as number) + (start[t] as number);
    const ids = new Int32Array(this.used);
    const next = start.slice(0, trials);
    for (let s = 0; s < this.used; s++) {
      const t = this.trials[s] as number;
      ids[next[t] as number] = segmentIds[s] as number;
      next[t] = (next[t] as number) + 1;
    }
    this.numbered = { keys: Float64Array.from(distinct), start, ids };
    this.totals = undefined;
    return this.numbered;
  }
}

interface Numbered {
  /** The distinct segments' keys (x pair, y rows). */
  keys: Float64Array;
  /** Trial t's segments are ids[start[t]] … ids[start[t + 1] − 1], as numbers into `keys`. */
  start: Int32Array;
  ids: Int32Array;
}

/** Distinct segments, each with how many copies of each colour it stands for. */
export class MergedSegments {
  private readonly ends: Float32Array;
  private readonly counts: Float32Array;
  private used = 0;

  /** Room for `capacity` segments. */
  constructor(
    readonly capacity: number,
    readonly buckets = 1,
  ) {
    this.ends = new Float32Array(4 * capacity);
    this.counts = new Float32Array(capacity * buckets);
  }

  get size(): number {
    return this.used;
  }

  /** A segment and its copies per colour bucket: `buckets` of them in `counts` from `from`. */
  push(x0: number, y0: number, x1: number, y1: number, counts: ArrayLike<number>, from = 0): void {
    const s = this.used++;
    this.ends[4 * s] = x0;
    this.ends[4 * s + 1] = y0;
    this.ends[4 * s + 2] = x1;
    this.ends[4 * s + 3] = y1;
    for (let b = 0; b < this.buckets; b++) this.counts[s * this.buckets + b] = counts[from + b] ?? 0;
  }

  /**
   * The segments by colour and opacity step, for one stroke each. A segment
   * is as opaque as its n copies at `alpha` would be together, 1 − (1 − α)ⁿ;
   * its colour is the buckets' average weighted by what each would show,
   * drawn in ascending order (higher buckets on top, as the exact drawing
   * strokes them), rounded to a bucket. Buckets come in ascending order,
   * fainter steps first.
   */
  groups(alpha: number): SegmentGroup[] {
    const byKey = new Map<number, SegmentGroup>();
    // (1 − α)ⁿ for every n there is, by multiplying: Math.pow per segment and bucket showed.
    let most = 0;
    for (let s = 0; s < this.used; s++) {
      let n = 0;
      for (let b = 0; b < this.buckets; b++) n += this.counts[s * this.buckets + b] as number;
      most = Math.max(most, n);
    }
    const keep = new Float64Array(most + 1);
    keep[0] = 1;
    for (let n = 1; n <= most; n++) keep[n] = (keep[n - 1] as number) * (1 - alpha);
    for (let s = 0; s < this.used; s++) {
      let n = 0;
      let weights = 0;
      let weighted = 0;
      for (let b = this.buckets - 1; b >= 0; b--) {
        const copies = this.counts[s * this.buckets + b] as number;
        if (copies === 0) continue;
        // What bucket b shows: its own opacity, seen through the copies drawn over it.
        const w = (1 - (keep[copies] as number)) * (keep[n] as number);
        weights += w;
        weighted += w * b;
        n += copies;
      }
      const step = Math.max(1, Math.round((1 - (keep[n] as number)) * OPACITY_STEPS));
      const bucket = weights > 0 ? Math.round(weighted / weights) : this.buckets - 1;
      const key = bucket * (OPACITY_STEPS + 1) + step;
      let group = byKey.get(key);
      if (!group) {
        group = { bucket, opacity: step / OPACITY_STEPS, coords: [] };
        byKey.set(key, group);
      }
      group.coords.push(
        this.ends[4 * s] as number,
        this.ends[4 * s + 1] as number,
        this.ends[4 * s + 2] as number,
        this.ends[4 * s + 3] as number,
      );
    }
    return [...byKey.values()].sort((a, b) => a.bucket - b.bucket || a.opacity - b.opacity);
  }
}

function grown<T extends Int32Array | Float64Array>(a: T, bigger: T): T {
  bigger.set(a);
  return bigger;
}

const clamp = (v: number, limit: number) => Math.min(limit - 1, Math.max(0, v));
