/**
 * Contour: two parameters (the two most important first), the plane cut into
 * a grid and each cell coloured by the best objective reached in it, with the
 * trials as dots. A binned map rather than an interpolated surface: it shows
 * only what was measured.
 */
import { axes, bucketOf, extent, frameOn, numericValue, RAMP, scale } from "../canvas.js";
import { parameterPicker } from "./slice.js";
import { canvasIn, finishedObjective, type Panel } from "./view.js";

const CELLS = 32;

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
    const columnOf = (p: typeof px) => {
      const categories = p.type === "Categorical" ? p.values : undefined;
      const values = (view.trials.params[p.name] ?? []).map((v) => numericValue(v, categories));
      const domain: [number, number] = categories
        ? [-0.5, categories.length - 0.5]
        : p.min !== undefined && p.max !== undefined
          ? [p.min, p.max]
          : extent(values);
      return { values, domain, log: Boolean(p.log) };
    };
    const cx = columnOf(px);
    const cy = columnOf(py);
    const objective = finishedObjective(view);
    const f = frameOn(canvasIn(body), 300);
    const x = scale(cx.domain, [f.left, f.right], cx.log);
    const y = scale(cy.domain, [f.bottom, f.top], cy.log);
    axes(f, x, y, px.name, py.name);
    const minimize = view.objectives[0]?.direction !== "Maximize";
    const best = new Float64Array(CELLS * CELLS).fill(Number.NaN);
    const w = (f.right - f.left) / CELLS;
    const h = (f.bottom - f.top) / CELLS;
    const dots = new Path2D();
    for (let i = 0; i < objective.length; i++) {
      const v = objective[i];
      const a = cx.values[i];
      const b = cy.values[i];
      if (
        !selection[i] ||
        v === null ||
        v === undefined ||
        a === null ||
        a === undefined ||
        b === null ||
        b === undefined
      )
        continue;
      const gx = Math.min(CELLS - 1, Math.max(0, Math.floor((x(a) - f.left) / w)));
      const gy = Math.min(CELLS - 1, Math.max(0, Math.floor((y(b) - f.top) / h)));
      const cell = gy * CELLS + gx;
      const old = best[cell] as number;
      if (Number.isNaN(old) || (minimize ? v < old : v > old)) best[cell] = v;
      dots.rect(x(a) - 1, y(b) - 1, 2, 2);
    }
    const [lo, hi] = extent(Array.from(best).map((v) => (Number.isNaN(v) ? null : v)));
    for (let cell = 0; cell < best.length; cell++) {
      const v = best[cell] as number;
      if (Number.isNaN(v)) continue;
      const t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
      f.ctx.fillStyle = RAMP[bucketOf(minimize ? 1 - t : t)] as string;
      f.ctx.fillRect(f.left + (cell % CELLS) * w, f.top + Math.floor(cell / CELLS) * h, w + 0.5, h + 0.5);
    }
    f.ctx.fillStyle = "rgba(0,0,0,0.55)";
    f.ctx.fill(dots);
  },
};
