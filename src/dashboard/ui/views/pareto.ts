/**
 * Several objectives: the finished trials in objective space with the Pareto
 * front highlighted (2-D for two objectives; for three or more, the first
 * three in 3-D, turned by dragging), and the front's hypervolume over time.
 */
import uPlot from "uplot";
import type { JobView } from "../../view.js";
import { axes, extent, frameOn, scale } from "../canvas.js";
import { canvasIn, element, type Panel } from "./view.js";

const angles = new WeakMap<HTMLElement, { yaw: number; pitch: number }>();

function objectiveColumns(view: JobView): (number | null)[][] {
  return view.objectives.map((o) => {
    const values = view.trials.metrics[o.name] ?? [];
    return view.trials.phase.map((phase, i) => (phase === "Succeeded" ? (values[i] ?? null) : null));
  });
}

export const paretoPanel: Panel = {
  name: "pareto",
  title: "Pareto front",
  shows: (view) => view.objectives.length > 1,
  draw(body, ctx) {
    const { view, selection } = ctx;
    const columns = objectiveColumns(view);
    const front = new Set(view.paretoFront);
    let caption = body.querySelector(".caption");
    if (!caption) {
      caption = element("p", { class: "caption" });
      body.prepend(caption);
    }
    caption.textContent = `${front.size} non-dominated trial(s)${view.hypervolume === null ? "" : `, hypervolume ${view.hypervolume.toPrecision(5)}`}`;
    caption.setAttribute("data-front", String(front.size));
    if (view.objectives.length === 2) draw2d(body, view, columns, front, selection);
    else draw3d(body, view, columns, front, selection, () => paretoPanel.draw(body, ctx));
  },
};

function draw2d(
  body: HTMLElement,
  view: JobView,
  [c0 = [], c1 = []]: (number | null)[][],
  front: Set<number>,
  selection: Uint8Array,
): void {
  const f = frameOn(canvasIn(body), 300);
  const x = scale(extent(c0), [f.left, f.right]);
  const y = scale(extent(c1), [f.bottom, f.top]);
  axes(f, x, y, labelOf(view, 0), labelOf(view, 1));
  const others = new Path2D();
  const best: [number, number][] = [];
  view.trials.index.forEach((index, i) => {
    const a = c0[i];
    const b = c1[i];
    if (a === null || a === undefined || b === null || b === undefined || !selection[i]) return;
    if (front.has(index)) best.push([x(a), y(b)]);
    else others.rect(x(a) - 1.5, y(b) - 1.5, 3, 3);
  });
  f.ctx.fillStyle = "#9aa3ad";
  f.ctx.fill(others);
  best.sort((p, q) => p[0] - q[0]);
  f.ctx.strokeStyle = f.ctx.fillStyle = "#e4572e";
  f.ctx.beginPath();
  best.forEach(([px, py], k) => {
    if (k === 0) f.ctx.moveTo(px, py);
    else f.ctx.lineTo(px, py);
  });
  f.ctx.stroke();
  for (const [px, py] of best) f.ctx.fillRect(px - 3, py - 3, 6, 6);
}

function draw3d(
  body: HTMLElement,
  view: JobView,
  columns: (number | null)[][],
  front: Set<number>,
  selection: Uint8Array,
  redraw: () => void,
): void {
  const canvas = canvasIn(body);
  const angle = angles.get(body) ?? { yaw: 0.7, pitch: 0.4 };
  if (!angles.has(body)) {
    angles.set(body, angle);
    canvas.onpointerdown = (down) => {
      const start = { x: down.clientX, y: down.clientY, ...angle };
      canvas.onpointermove = (move) => {
        angle.yaw = start.yaw + (move.clientX - start.x) / 100;
        angle.pitch = Math.max(-1.5, Math.min(1.5, start.pitch + (move.clientY - start.y) / 100));
        redraw();
      };
      canvas.onpointerup = () => {
        canvas.onpointermove = null;
      };
    };
  }
  const f = frameOn(canvas, 340);
  const ext = columns.slice(0, 3).map(extent);
  const unit = (v: number, m: number) => {
    const [lo, hi] = ext[m] as [number, number];
    return hi > lo ? (v - lo) / (hi - lo) - 0.5 : 0;
  };
  const size = Math.min(f.right - f.left, f.bottom - f.top) * 0.75;
  const cx = (f.left + f.right) / 2;
  const cy = (f.top + f.bottom) / 2;
  const project = (p: [number, number, number]): [number, number] => {
    const [a, b, c] = p;
    const x1 = a * Math.cos(angle.yaw) - b * Math.sin(angle.yaw);
    const y1 = a * Math.sin(angle.yaw) + b * Math.cos(angle.yaw);
    const y2 = y1 * Math.sin(angle.pitch) + c * Math.cos(angle.pitch);
    return [cx + x1 * size, cy - y2 * size];
  };
  const { ctx } = f;
  ctx.strokeStyle = "#555";
  ctx.fillStyle = "#222";
  const origin = project([-0.5, -0.5, -0.5]);
  [
    [0.5, -0.5, -0.5],
    [-0.5, 0.5, -0.5],
    [-0.5, -0.5, 0.5],
  ].forEach((end, m) => {
    const [ex, ey] = project(end as [number, number, number]);
    ctx.beginPath();
    ctx.moveTo(origin[0], origin[1]);
    ctx.lineTo(ex, ey);
    ctx.stroke();
    ctx.fillText(labelOf(view, m), ex + 4, ey);
  });
  const others = new Path2D();
  const best = new Path2D();
  view.trials.index.forEach((index, i) => {
    const p = columns.slice(0, 3).map((c) => c[i]);
    if (!selection[i] || p.some((v) => v === null || v === undefined)) return;
    const [px, py] = project(p.map((v, m) => unit(v as number, m)) as [number, number, number]);
    (front.has(index) ? best : others).rect(
      px - 2,
      py - 2,
      front.has(index) ? 5 : 3,
      front.has(index) ? 5 : 3,
    );
  });
  ctx.fillStyle = "#9aa3ad";
  ctx.fill(others);
  ctx.fillStyle = "#e4572e";
  ctx.fill(best);
}

function labelOf(view: JobView, m: number): string {
  const o = view.objectives[m];
  return o ? `${o.name} (${o.direction === "Maximize" ? "max" : "min"})` : "";
}

const hvPlots = new WeakMap<HTMLElement, uPlot>();

export const hypervolumePanel: Panel = {
  name: "hypervolume",
  title: "Hypervolume over time",
  shows: (view) => view.objectives.length > 1,
  draw(body, { view }) {
    const series = view.hypervolumeHistory ?? { index: [], value: [] };
    const data: uPlot.AlignedData = [series.index, series.value];
    const width = Math.max(240, body.clientWidth);
    const existing = hvPlots.get(body);
    if (existing) {
      existing.setSize({ width, height: 240 });
      existing.setData(data);
      return;
    }
    hvPlots.set(
      body,
      new uPlot(
        {
          width,
          height: 240,
          scales: { x: { time: false } },
          axes: [{ label: "trial" }, { label: "hypervolume", size: 60 }],
          series: [{ label: "trial" }, { label: "hypervolume", stroke: "#e4572e", width: 2 }],
        },
        data,
        body,
      ),
    );
  },
};
