/**
 * Parallel coordinates: one axis per parameter and one for the objective,
 * one line per finished trial coloured by its objective (filtered-out trials
 * faint). Lines are grouped by colour, one stroke per colour.
 */
import { bucketOf, extent, formatTick, frameOn, numericValue, RAMP, scale } from "../canvas.js";
import { canvasIn, finishedObjective, type Panel } from "./view.js";

export const parallelPanel: Panel = {
  name: "parallel",
  title: "Parallel coordinates",
  shows: (view) => view.parameters.length > 0,
  draw(body, { view, selection }) {
    const f = frameOn(canvasIn(body), 320);
    const { ctx } = f;
    const objective = finishedObjective(view);
    const axes = [
      ...view.parameters.map((p) => {
        const column = view.trials.params[p.name] ?? [];
        const categories = p.values && p.type === "Categorical" ? p.values : undefined;
        const values = column.map((v) => numericValue(v, categories));
        const domain: [number, number] = categories
          ? [-0.5, categories.length - 0.5]
          : p.min !== undefined && p.max !== undefined
            ? [p.min, p.max]
            : extent(values);
        return { label: p.name, values, domain, log: Boolean(p.log), categories };
      }),
      {
        label: view.objectives[0]?.name ?? "objective",
        values: objective,
        domain: extent(objective),
        log: false,
        categories: undefined,
      },
    ];
    const step = (f.right - f.left) / Math.max(1, axes.length - 1);
    const xs = axes.map((_, a) => f.left + a * step);
    const ys = axes.map((a) => scale(a.domain, [f.bottom, f.top], a.log));
    const [lo, hi] = extent(objective);
    const minimize = view.objectives[0]?.direction !== "Maximize";
    const paths = RAMP.map(() => new Path2D());
    const faint = new Path2D();
    for (let i = 0; i < objective.length; i++) {
      const value = objective[i];
      if (value === null || value === undefined) continue;
      const t = hi > lo ? (value - lo) / (hi - lo) : 0.5;
      const path = selection[i] ? (paths[bucketOf(minimize ? 1 - t : t)] as Path2D) : faint;
      let started = false;
      for (let a = 0; a < axes.length; a++) {
        const v = axes[a]?.values[i];
        if (v === null || v === undefined) {
          started = false;
          continue;
        }
        const x = xs[a] as number;
        const y = (ys[a] as (v: number) => number)(v);
        if (started) path.lineTo(x, y);
        else path.moveTo(x, y);
        started = true;
      }
    }
    ctx.lineWidth = 1;
    ctx.globalAlpha = 0.15;
    ctx.strokeStyle = "#b0b6bf";
    ctx.stroke(faint);
    ctx.globalAlpha = objective.length > 2000 ? 0.25 : 0.6;
    paths.forEach((p, b) => {
      ctx.strokeStyle = RAMP[b] as string;
      ctx.stroke(p);
    });
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
