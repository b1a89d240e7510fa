/**
 * Optimisation history: each finished trial's objective by trial index, and
 * the best so far as the engine ranks it (the core's `bestSoFar`, so the
 * line ends at the job's best). uPlot draws it: canvas, 50 KB, MIT, and
 * built for hundreds of thousands of points.
 */
import uPlot from "uplot";
import { element, finishedObjective, formatValue, type Panel } from "./view.js";

const plots = new WeakMap<HTMLElement, uPlot>();

export const historyPanel: Panel = {
  name: "history",
  title: "Optimisation history",
  shows: (view) => view.objectives.length === 1,
  draw(body, { view, selection }) {
    const objective = view.objectives[0];
    const values = finishedObjective(view);
    const xs: number[] = [];
    const ys: (number | null)[] = [];
    const best: (number | null)[] = [];
    const bestAt = new Map(view.bestSoFar.index.map((index, i) => [index, view.bestSoFar.value[i] ?? null]));
    let running: number | null = null;
    view.trials.index.forEach((index, i) => {
      const fromCore = bestAt.get(index);
      if (fromCore !== undefined) running = fromCore;
      if (values[i] === null) return;
      xs.push(index);
      ys.push(selection[i] ? (values[i] ?? null) : null);
      best.push(running);
    });
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
    const data: uPlot.AlignedData = [xs, ys, best];
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
        axes: [{ label: "trial" }, { label: objective?.name ?? "objective", size: 60 }],
        series: [
          { label: "trial" },
          {
            label: objective?.name ?? "objective",
            stroke: "#355f8d",
            paths: () => null,
            points: { show: true, size: 4, stroke: "#355f8d", fill: "#355f8d" },
          },
          {
            label: "best so far",
            stroke: "#e4572e",
            width: 2,
            paths: uPlot.paths.stepped?.({ align: 1 }),
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
