/**
 * Parallel coordinates: one axis per parameter and one for the objective,
 * one line per finished trial coloured by its objective (filtered-out trials
 * faint). Lines are grouped by colour, one stroke per colour; past
 * `EXACT_SEGMENTS` their segments are snapped to a grid of MERGE_CELL pixels
 * and merged (marks.ts), which keeps 50,000 trials quick to paint. The
 * snapped segments are kept per view and size, so a filter only recounts.
 */
import type { JobView } from "../../view.js";
import {
  bucketOf,
  EXACT_SEGMENTS,
  formatTick,
  frameOn,
  RAMP,
  type Scale,
  SnappedSegments,
  scale,
  strokeMerged,
} from "../canvas.js";
import { finiteExtent, memo, objectiveColumn, parameterColumn, parameterDomain } from "../derived.js";
import { canvasIn, type Panel } from "./view.js";

const MERGE_CELL = 5;
const HEIGHT = 320;

interface Axis {
  label: string;
  values: Float64Array;
  domain: [number, number];
  log: boolean;
  categories: readonly unknown[] | undefined;
}

function axesOf(view: JobView): Axis[] {
  const objective = objectiveColumn(view);
  return [
    ...view.parameters.map((p) => {
      const values = parameterColumn(view, p);
      const categories = p.values && p.type === "Categorical" ? p.values : undefined;
      return { label: p.name, values, domain: parameterDomain(p, values), log: Boolean(p.log), categories };
    }),
    {
      label: view.objectives[0]?.name ?? "objective",
      values: objective,
      domain: finiteExtent(objective),
      log: false,
      categories: undefined,
    },
  ];
}

const snapped = new WeakMap<
  HTMLElement,
  { view: JobView; key: string; value: { segments: SnappedSegments; buckets: Uint8Array } }
>();

/** Every finished trial's segments, snapped: built once per view and canvas size. */
function snappedSegments(axes: Axis[], xs: number[], ys: Scale[], n: number): SnappedSegments {
  const segments = new SnappedSegments(MERGE_CELL, HEIGHT);
  const objective = axes.at(-1)?.values as Float64Array;
  // Each axis's grid row per trial (−1: no value, or no objective), then one run per gap.
  const rows = axes.map((axis, a) => segments.rowsOf((ys[a] as Scale).positions(axis.values)));
  for (let i = 0; i < n; i++) if (Number.isNaN(objective[i] as number)) for (const r of rows) r[i] = -1;
  for (let a = 1; a < axes.length; a++)
    segments.addRun(xs[a - 1] as number, xs[a] as number, rows[a - 1] as Int32Array, rows[a] as Int32Array);
  return segments;
}

export const parallelPanel: Panel = {
  name: "parallel",
  title: "Parallel coordinates",
  shows: (view) => view.parameters.length > 0,
  draw(body, { view, selection }) {
    const f = frameOn(canvasIn(body), HEIGHT);
    const { ctx } = f;
    const axes = axesOf(view);
    const objective = objectiveColumn(view);
    const n = objective.length;
    const step = (f.right - f.left) / Math.max(1, axes.length - 1);
    const xs = axes.map((_, a) => f.left + a * step);
    const ys = axes.map((a) => scale(a.domain, [f.bottom, f.top], a.log));
    const [lo, hi] = finiteExtent(objective);
    const minimize = view.objectives[0]?.direction !== "Maximize";
    const shadeOf = (value: number) => {
      const t = hi > lo ? (value - lo) / (hi - lo) : 0.5;
      return minimize ? 1 - t : t;
    };
    let finished = 0;
    for (let i = 0; i < n; i++) if (!Number.isNaN(objective[i] as number)) finished++;
    const alpha = n > 2000 ? 0.25 : 0.6;
    ctx.lineWidth = 1;
    if (finished * (axes.length - 1) > EXACT_SEGMENTS) {
      const { segments, buckets } = memo(snapped, body, view, `${f.width}`, () => {
        // Each trial's colour bucket, kept with the segments: they count all trials once per bucket array.
        const buckets = new Uint8Array(n);
        for (let i = 0; i < n; i++) {
          const v = objective[i] as number;
          if (!Number.isNaN(v)) buckets[i] = bucketOf(shadeOf(v));
        }
        return { segments: snappedSegments(axes, xs, ys, n), buckets };
      });
      const { kept, rest } = segments.select(selection, buckets, RAMP.length);
      strokeMerged(ctx, rest, 0.15, ["#b0b6bf"]);
      strokeMerged(ctx, kept, alpha, RAMP);
    } else {
      const paths = RAMP.map(() => new Path2D());
      const faint = new Path2D();
      for (let i = 0; i < n; i++) {
        const value = objective[i] as number;
        if (Number.isNaN(value)) continue;
        const path = selection[i] ? (paths[bucketOf(shadeOf(value))] as Path2D) : faint;
        let started = false;
        for (let a = 0; a < axes.length; a++) {
          const v = (axes[a] as Axis).values[i] as number;
          if (Number.isNaN(v)) {
            started = false;
            continue;
          }
          const x = xs[a] as number;
          const y = (ys[a] as Scale)(v);
          if (started) path.lineTo(x, y);
          else path.moveTo(x, y);
          started = true;
        }
      }
      ctx.globalAlpha = 0.15;
      ctx.strokeStyle = "#b0b6bf";
      ctx.stroke(faint);
      ctx.globalAlpha = alpha;
      paths.forEach((p, b) => {
        ctx.strokeStyle = RAMP[b] as string;
        ctx.stroke(p);
      });
    }
    ctx.globalAlpha = 1;
    ctx.strokeStyle = "#333";
    ctx.fillStyle = "#222";
    ctx.textAlign = "center";
    axes.forEach((axis, a) => {
      const x = xs[a] as number;
      ctx.beginPath();
      ctx.moveTo(x, f.top);
      ctx.lineTo(x, f.bottom);
      ctx.stroke();
      ctx.textBaseline = "top";
      ctx.fillText(axis.label, x, f.bottom + 6);
      ctx.textBaseline = "bottom";
      const top = axis.categories ? String(axis.categories.at(-1)) : formatTick(axis.domain[1]);
      const bottom = axis.categories ? String(axis.categories[0]) : formatTick(axis.domain[0]);
      ctx.fillText(top, x, f.top + 10);
      ctx.textBaseline = "top";
      ctx.fillText(bottom, x, f.bottom - 10);
    });
  },
};
