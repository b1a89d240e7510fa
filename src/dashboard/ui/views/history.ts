/**
 * Optimisation history: each finished trial's objective by trial index, and
 * the best so far as the engine ranks it (the core's `bestSoFar`, so the
 * line ends at the job's best). uPlot draws it: canvas, 50 KB, MIT, and
 * built for hundreds of thousands of points. Past PIXEL_DOTS trials their
 * dots are written as pixels (marks.ts) in uPlot's draw hook: as 50,000
 * circles of a path they took longer to paint than the rest of the page.
 */
import uPlot from "uplot";
import type { JobView } from "../../view.js";
import { PixelDots, paintDots, rgbaOf } from "../canvas.js";
import { objectiveColumn } from "../derived.js";
import { element, formatValue, type Panel } from "./view.js";

const plots = new WeakMap<HTMLElement, uPlot>();
const COLOUR = "#355f8d";
const DOT = rgbaOf(COLOUR);
/** Pixel dots are smaller than uPlot's circles: tens of thousands of them would cover the plot. */
const DOT_SIZE = 2.5;
const PIXEL_DOTS = 5000;
const manyPoints = (u: uPlot) => u.data[0].length > PIXEL_DOTS;

/** The x and y of each finished trial, and the best so far at it; the selection only blanks some y. */
const series = new WeakMap<
  JobView,
  { xs: number[]; ys: number[]; rows: number[]; best: (number | null)[] }
>();

function seriesOf(view: JobView) {
  let s = series.get(view);
  if (!s) {
    const values = objectiveColumn(view);
    const bestAt = new Map(view.bestSoFar.index.map((index, i) => [index, view.bestSoFar.value[i] ?? null]));
    s = { xs: [], ys: [], rows: [], best: [] };
    let running: number | null = null;
    const index = view.trials.index;
    for (let i = 0; i < index.length; i++) {
      const fromCore = bestAt.get(index[i] as number);
      if (fromCore !== undefined) running = fromCore;
      const v = values[i] as number;
      if (Number.isNaN(v)) continue;
      s.xs.push(index[i] as number);
      s.ys.push(v);
      s.rows.push(i);
      s.best.push(running);
    }
    series.set(view, s);
  }
  return s;
}

/** uPlot's drawSeries hook: the objective's dots, before the best-so-far line is drawn over them. */
function drawDots(u: uPlot, seriesIdx: number): void {
  if (seriesIdx !== 1 || !manyPoints(u)) return;
  const xs = u.data[0];
  const ys = u.data[1] ?? [];
  const { left, top, width, height } = u.bbox;
  // Both scales are linear (time: false, no distr): positions by hand, not 100,000 valToPos calls.
  const { min: x0 = 0, max: x1 = 1 } = u.scales.x ?? {};
  const { min: y0 = 0, max: y1 = 1 } = u.scales.y ?? {};
  const kx = width / (x1 - x0 || 1);
  const ky = height / (y1 - y0 || 1);
  const dots = new PixelDots(u.ctx.canvas.width, u.ctx.canvas.height);
  const size = DOT_SIZE * uPlot.pxRatio;
  for (let k = 0; k < xs.length; k++) {
    const v = ys[k];
    if (v === null || v === undefined) continue;
    const px = left + ((xs[k] as number) - x0) * kx;
    const py = top + height - (v - y0) * ky;
    if (px < left || px > left + width || py < top || py > top + height) continue;
    dots.square(px, py, size, DOT);
  }
  paintDots(u.ctx, dots);
}

/**
 * The best so far as steps between the trials where it changes: uPlot's
 * stepped builder walks every point, 50,000 of them, on each redraw.
 */
const bestSteps: uPlot.Series.PathBuilder = (u, seriesIdx) => {
  const xs = u.data[0];
  const ys = u.data[seriesIdx] ?? [];
  const path = new Path2D();
  let last: number | null | undefined;
  let lastY = 0;
  for (let k = 0; k < xs.length; k++) {
    const v = ys[k];
    if (v === null || v === undefined || v === last) continue;
    const x = u.valToPos(xs[k] as number, "x", true);
    const y = u.valToPos(v, "y", true);
    if (last === undefined) path.moveTo(x, y);
    else {
      path.lineTo(x, lastY);
      path.lineTo(x, y);
    }
    last = v;
    lastY = y;
  }
  if (last !== undefined) path.lineTo(u.valToPos(xs[xs.length - 1] as number, "x", true), lastY);
  return { stroke: path };
};

export const historyPanel: Panel = {
  name: "history",
  title: "Optimisation history",
  shows: (view) => view.objectives.length === 1,
  draw(body, { view, selection }) {
    const objective = view.objectives[0];
    const all = seriesOf(view);
    const ys = all.rows.map((row, k) => (selection[row] ? (all.ys[k] as number) : null));
    const last = view.bestSoFar.value.at(-1);
    let caption = body.querySelector(".caption");
    if (!caption) {
      caption = element("p", { class: "caption" });
      body.prepend(caption);
    }
    caption.textContent =
      last === undefined
        ? "no finished trial with a result yet"
        : `best so far: ${objective?.name} = ${formatValue(last)} (trial ${view.best})`;
    caption.setAttribute("data-best", last === undefined ? "" : String(last));
    const data: uPlot.AlignedData = [all.xs, ys, all.best];
    const width = Math.max(240, body.clientWidth);
    const existing = plots.get(body);
    if (existing) {
      existing.setSize({ width, height: 280 });
      existing.setData(data);
      return;
    }
    const plot = new uPlot(
      {
        width,
        height: 280,
        scales: { x: { time: false } },
        legend: { show: true },
        cursor: { drag: { x: true, y: true } },
        hooks: { drawSeries: [drawDots] },
        axes: [{ label: "trial" }, { label: objective?.name ?? "objective", size: 60 }],
        series: [
          { label: "trial" },
          {
            label: objective?.name ?? "objective",
            stroke: COLOUR,
            paths: () => null,
            points: { show: (u) => !manyPoints(u), size: 4, stroke: COLOUR, fill: COLOUR },
          },
          {
            label: "best so far",
            stroke: "#e4572e",
            width: 2,
            paths: bestSteps,
            points: { show: false },
          },
        ],
      },
      data,
      body,
    );
    plots.set(body, plot);
  },
};
