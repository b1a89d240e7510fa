/**
 * Intermediate values: each trial's reports of the first objective by step.
 * Early-stopped trials are drawn in their own colour and marked with a cross
 * at the step their rule judged them; the list under the plot says why.
 * Past `EXACT_SEGMENTS` the curves' segments are snapped to a grid of
 * MERGE_CELL pixels and merged (marks.ts), kept per view and size, so
 * thousands of curves paint quickly and a filter only recounts some.
 */
import type { JobView } from "../../view.js";
import {
  axes,
  EXACT_SEGMENTS,
  extent,
  frameOn,
  type Scale,
  SnappedSegments,
  scale,
  strokeMerged,
} from "../canvas.js";
import { memo, positionOf } from "../derived.js";
import { canvasIn, element, formatValue, type Panel } from "./view.js";

const REASONS_LISTED = 8;
const MERGE_CELL = 3;
const HEIGHT = 280;
const KEPT = "#2a788e";
const STOPPED = "#c0392b";

const extents = new WeakMap<
  JobView,
  { steps: [number, number]; values: [number, number]; segments: number }
>();

function extentsOf(view: JobView) {
  let e = extents.get(view);
  if (!e) {
    let segments = 0;
    const steps: number[] = [];
    const values: (number | null)[] = [];
    for (const c of view.curves) {
      segments += Math.max(0, c.step.length - 1);
      steps.push(...extent(c.step));
      values.push(...extent(c.value));
    }
    e = { steps: extent(steps), values: extent(values), segments };
    extents.set(view, e);
  }
  return e;
}

const snapped = new WeakMap<
  HTMLElement,
  { view: JobView; key: string; value: { kept: SnappedSegments; stopped: SnappedSegments } }
>();

/** Every curve's segments, snapped, apart for early-stopped trials: built once per view and canvas size. */
function snappedSegments(view: JobView, x: Scale, y: Scale) {
  const kept = new SnappedSegments(MERGE_CELL, HEIGHT);
  const stopped = new SnappedSegments(MERGE_CELL, HEIGHT);
  const position = positionOf(view);
  for (const curve of view.curves) {
    const i = position.get(curve.index);
    if (i === undefined) continue;
    const segments = view.trials.phase[i] === "EarlyStopped" ? stopped : kept;
    const values = new Float64Array(curve.value.length);
    for (let k = 0; k < values.length; k++) values[k] = curve.value[k] ?? Number.NaN;
    const px = x.positions(curve.step);
    const py = y.positions(values);
    let last = -1;
    for (let k = 0; k < py.length; k++) {
      if (Number.isNaN(py[k] as number)) continue;
      if (last >= 0)
        segments.add(i, px[last] as number, py[last] as number, px[k] as number, py[k] as number);
      last = k;
    }
  }
  return { kept, stopped };
}

export const curvesPanel: Panel = {
  name: "curves",
  title: "Intermediate values",
  shows: (view) => view.curves.length > 0,
  draw(body, { view, selection }) {
    const position = positionOf(view);
    const { steps, values, segments } = extentsOf(view);
    const f = frameOn(canvasIn(body), HEIGHT);
    const x = scale(steps, [f.left, f.right]);
    const y = scale(values, [f.bottom, f.top]);
    axes(f, x, y, "step", view.objectives[0]?.name ?? "objective");
    const merge = segments > EXACT_SEGMENTS;
    const kept = new Path2D();
    const stopped = new Path2D();
    const crosses = new Path2D();
    const stoppedRows: { index: number; step: number | null; message: string }[] = [];
    for (const curve of view.curves) {
      const i = position.get(curve.index);
      if (i === undefined || !selection[i]) continue;
      const early = view.trials.phase[i] === "EarlyStopped";
      // Merged curves are drawn below; only the crosses need their last points here.
      if (merge && !early) continue;
      const path = early ? stopped : kept;
      let started = false;
      let lastX = 0;
      let lastY = 0;
      for (let k = 0; k < curve.step.length; k++) {
        const v = curve.value[k];
        if (v === null || v === undefined) continue;
        lastX = x(curve.step[k] as number);
        lastY = y(v);
        if (!merge) {
          if (started) path.lineTo(lastX, lastY);
          else path.moveTo(lastX, lastY);
        }
        started = true;
      }
      if (early && started) {
        crosses.moveTo(lastX - 3, lastY - 3);
        crosses.lineTo(lastX + 3, lastY + 3);
        crosses.moveTo(lastX + 3, lastY - 3);
        crosses.lineTo(lastX - 3, lastY + 3);
        stoppedRows.push({
          index: curve.index,
          step: view.trials.stoppedAtStep[i] ?? null,
          message: view.trials.message[i] ?? view.trials.reason[i] ?? "",
        });
      }
    }
    const { ctx } = f;
    const alpha = view.curves.length > 1000 ? 0.2 : 0.7;
    if (merge) {
      const all = memo(snapped, body, view, `${f.width}`, () => snappedSegments(view, x, y));
      strokeMerged(ctx, all.kept.select(selection).kept, alpha, [KEPT]);
      strokeMerged(ctx, all.stopped.select(selection).kept, alpha, [STOPPED]);
    } else {
      ctx.globalAlpha = alpha;
      ctx.strokeStyle = KEPT;
      ctx.stroke(kept);
      ctx.strokeStyle = STOPPED;
      ctx.stroke(stopped);
    }
    ctx.globalAlpha = 1;
    ctx.strokeStyle = STOPPED;
    ctx.lineWidth = 1.5;
    ctx.stroke(crosses);
    let list = body.querySelector("ul.stopped");
    if (!list) {
      list = element("ul", { class: "stopped" });
      body.append(list);
    }
    list.replaceChildren(
      element("li", { class: "caption" }, `${stoppedRows.length} stopped early (red, × at the step judged)`),
      ...stoppedRows
        .slice(-REASONS_LISTED)
        .map((r) =>
          element(
            "li",
            { "data-trial": String(r.index) },
            `trial ${r.index} at step ${formatValue(r.step)}: ${r.message}`,
          ),
        ),
    );
  },
};
