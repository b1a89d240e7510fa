/**
 * How a job's result improved as trials finished, for the dashboard's
 * progress plots: the best value so far and, with several objectives, the
 * hypervolume of the non-dominated set so far (While, Bradstreet and Barone
 * 2012, via src/space/hypervolume.ts).
 */
import { lossOf, type ObjectiveSpec } from "../api/index.js";
import { hypervolumeReference } from "../engine/frontHypervolume.js";
import { hypervolume } from "../space/hypervolume.js";
import { dominates, type LossVector } from "../space/pareto.js";

type Direction = ObjectiveSpec["direction"];

export interface FinishedPoint {
  /** The trial's index. */
  readonly index: number;
  readonly value: number;
}

export interface FinishedVectorPoint {
  readonly index: number;
  /** One value per objective, in the order of `directions`. */
  readonly values: readonly number[];
}

/** Parallel arrays, the shape plotting libraries take: the trial index and the curve's value there. */
export interface Curve {
  index: number[];
  value: number[];
}

/**
 * The best value after each point, points given in the order the trials
 * finished. Points without a finite value are left out.
 */
export function bestSoFar(points: readonly FinishedPoint[], direction: Direction): Curve {
  const curve: Curve = { index: [], value: [] };
  let best = Number.NaN;
  for (const { index, value } of points) {
    if (!Number.isFinite(value)) continue;
    if (Number.isNaN(best) || lossOf(value, direction) < lossOf(best, direction)) best = value;
    curve.index.push(index);
    curve.value.push(best);
  }
  return curve;
}

/**
 * The hypervolume of the non-dominated points so far, at about `checkpoints`
 * evenly spaced points and always the last (points in finishing order;
 * those without a finite value for every objective are left out, as the
 * engine leaves them out). Every checkpoint is measured against one
 * reference point, the one the engine's rule (`hypervolumeReference`) gives
 * for all the points, so the curve never goes down and ends at the
 * hypervolume the job reports; the engine's own value at an earlier time
 * used the reference of the trials it had then.
 */
export function hypervolumeHistory(
  points: readonly FinishedVectorPoint[],
  directions: readonly Direction[],
  checkpoints = 200,
): Curve {
  const valid = points.filter(
    (p) => p.values.length === directions.length && p.values.every((v) => Number.isFinite(v)),
  );
  const curve: Curve = { index: [], value: [] };
  if (valid.length === 0 || directions.length === 0) return curve;
  const losses = valid.map((p) => p.values.map((v, m) => lossOf(v, directions[m] as Direction)));
  const reference = hypervolumeReference(losses, directions.length);
  const isCheckpoint = checkpointFlags(valid.length, checkpoints);
  const front = new IncrementalFront();
  let volume = 0;
  let stale = false;
  for (let i = 0; i < valid.length; i++) {
    if (front.add(losses[i] as LossVector)) stale = true;
    if (!isCheckpoint[i]) continue;
    // A front that did not change since the last checkpoint keeps its volume, which is often.
    if (stale) volume = hypervolume(front.points, reference);
    stale = false;
    curve.index.push((valid[i] as FinishedVectorPoint).index);
    curve.value.push(volume);
  }
  return curve;
}

/**
 * The non-dominated set, kept up to date one point at a time: each point is
 * compared with the front only, not with every point so far, which keeps a
 * long run's history linear in its length times the front's size.
 */
class IncrementalFront {
  points: LossVector[] = [];

  /** Adds p unless a member dominates or equals it; returns whether the front changed. */
  add(p: LossVector): boolean {
    let dominatesSome = false;
    for (const q of this.points) {
      if (dominates(q, p) || sameVector(q, p)) return false;
      if (!dominatesSome && dominates(p, q)) dominatesSome = true;
    }
    if (dominatesSome) this.points = this.points.filter((q) => !dominates(p, q));
    this.points.push(p);
    return true;
  }
}

/** Checkpoint k of `count` falls on the ⌈(k+1)·n/count⌉-th point, so the last point is always one. */
function checkpointFlags(n: number, count: number): Uint8Array {
  const flags = new Uint8Array(n);
  const every = Math.max(1, Math.floor(count));
  for (let k = 0; k < every; k++) flags[Math.ceil(((k + 1) * n) / every) - 1] = 1;
  return flags;
}

function sameVector(a: LossVector, b: LossVector): boolean {
  return a.every((v, m) => v === b[m]);
}
