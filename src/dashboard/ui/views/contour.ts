/**
 * Contour: two parameters (the two most important first), the plane cut into
 * a grid and each cell coloured by the best objective reached in it, with the
 * trials as dots. A binned map rather than an interpolated surface: it shows
 * only what was measured.
 */
import type { JobView } from "../../view.js";
import { axes, bucketOf, dotsFor, frameOn, paintDots, RAMP, rgbaOf, scale } from "../canvas.js";
import { finiteExtent, memo, objectiveColumn, parameterColumn, parameterDomain } from "../derived.js";
import { parameterPicker } from "./slice.js";
import { canvasIn, type Panel } from "./view.js";

const CELLS = 32;
const DOT = rgbaOf("#000000", 0.55);
const places = new WeakMap<
  HTMLElement,
  { view: JobView; key: string; value: { xs: Float64Array; ys: Float64Array; cells: Int32Array } }
>();

export const contourPanel: Panel = {
  name: "contour",
  title: "Contour (best objective per cell)",
  shows: (view) => view.parameters.length >= 2,
  draw(body, ctx) {
    const second = parameterPicker(body, ctx, "contour-y", 1);
    const first = parameterPicker(body, ctx, "contour-x", 0);
    first.onchange = second.onchange = () => contourPanel.draw(body, ctx);
    const { view, selection } = ctx;
    const [px, py] = [first.value, second.value].map((n) => view.parameters.find((p) => p.name === n));
    if (!px || !py) return;
    const cx = parameterColumn(view, px);
    const cy = parameterColumn(view, py);
    const objective = objectiveColumn(view);
    const f = frameOn(canvasIn(body), 300);
    const x = scale(parameterDomain(px, cx), [f.left, f.right], Boolean(px.log));
    const y = scale(parameterDomain(py, cy), [f.bottom, f.top], Boolean(py.log));
    axes(f, x, y, px.name, py.name);
    const minimize = view.objectives[0]?.direction !== "Maximize";
    const w = (f.right - f.left) / CELLS;
    const h = (f.bottom - f.top) / CELLS;
    const n = objective.length;
    // Each trial's dot and cell (−1: none), kept until the view, the parameters or the size change.
    const at = memo(places, body, view, `${px.name}|${py.name}|${f.width}`, () => {
      const xs = x.positions(cx);
      const ys = y.positions(cy);
      const cells = new Int32Array(n).fill(-1);
      for (let i = 0; i < n; i++) {
        const a = xs[i] as number;
        const b = ys[i] as number;
        if (Number.isNaN(objective[i] as number) || Number.isNaN(a) || Number.isNaN(b)) continue;
        const gx = Math.min(CELLS - 1, Math.max(0, Math.floor((a - f.left) / w)));
        const gy = Math.min(CELLS - 1, Math.max(0, Math.floor((b - f.top) / h)));
        cells[i] = gy * CELLS + gx;
      }
      return { xs, ys, cells };
    });
    const best = new Float64Array(CELLS * CELLS).fill(Number.NaN);
    const dots = dotsFor(f);
    for (let i = 0; i < n; i++) {
      const cell = at.cells[i] as number;
      if (!selection[i] || cell < 0) continue;
      const v = objective[i] as number;
      const old = best[cell] as number;
      if (Number.isNaN(old) || (minimize ? v < old : v > old)) best[cell] = v;
      dots.square(at.xs[i] as number, at.ys[i] as number, 2, DOT);
    }
    const [lo, hi] = finiteExtent(best);
    for (let cell = 0; cell < best.length; cell++) {
      const v = best[cell] as number;
      if (Number.isNaN(v)) continue;
      const t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
      f.ctx.fillStyle = RAMP[bucketOf(minimize ? 1 - t : t)] as string;
      f.ctx.fillRect(f.left + (cell % CELLS) * w, f.top + Math.floor(cell / CELLS) * h, w + 0.5, h + 0.5);
    }
    // The dots over the cells; as pixels, so 50,000 of them paint in a few ms (marks.ts).
    paintDots(f.ctx, dots);
  },
};
