/**
 * Intermediate values: each trial's reports of the first objective by step.
 * Early-stopped trials are drawn in their own colour and marked with a cross
 * at the step their rule judged them; the list under the plot says why.
 */
import { axes, extent, frameOn, scale } from "../canvas.js";
import { canvasIn, element, formatValue, type Panel } from "./view.js";

const REASONS_LISTED = 8;

export const curvesPanel: Panel = {
  name: "curves",
  title: "Intermediate values",
  shows: (view) => view.curves.length > 0,
  draw(body, { view, selection }) {
    const position = new Map(view.trials.index.map((index, i) => [index, i]));
    const steps = extent(view.curves.flatMap((c) => c.step));
    const values = extent(view.curves.flatMap((c) => c.value));
    const f = frameOn(canvasIn(body), 280);
    const x = scale(steps, [f.left, f.right]);
    const y = scale(values, [f.bottom, f.top]);
    axes(f, x, y, "step", view.objectives[0]?.name ?? "objective");
    const kept = new Path2D();
    const stopped = new Path2D();
    const crosses = new Path2D();
    const stoppedRows: { index: number; step: number | null; message: string }[] = [];
    for (const curve of view.curves) {
      const i = position.get(curve.index);
      if (i === undefined || !selection[i]) continue;
      const early = view.trials.phase[i] === "EarlyStopped";
      const path = early ? stopped : kept;
      let started = false;
      let lastX = 0;
      let lastY = 0;
      curve.step.forEach((s, k) => {
        const v = curve.value[k];
        if (v === null || v === undefined) return;
        lastX = x(s);
        lastY = y(v);
        if (started) path.lineTo(lastX, lastY);
        else path.moveTo(lastX, lastY);
        started = true;
      });
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
    ctx.globalAlpha = view.curves.length > 1000 ? 0.2 : 0.7;
    ctx.strokeStyle = "#2a788e";
    ctx.stroke(kept);
    ctx.strokeStyle = "#c0392b";
    ctx.stroke(stopped);
    ctx.globalAlpha = 1;
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
