/**
 * Slice: the objective against one parameter (chosen in the panel, the most
 * important first), each finished trial a dot coloured by trial index.
 * Dots are written as pixels (marks.ts): 50,000 of them paint in a few ms.
 */
import type { JobView } from "../../view.js";
import { axes, bucketOf, dotsFor, frameOn, paintDots, RAMP, type Rgba, rgbaOf, scale } from "../canvas.js";
import { finiteExtent, memo, objectiveColumn, parameterColumn, parameterDomain } from "../derived.js";
import { canvasIn, element, type Panel, type PanelContext } from "./view.js";

export function parameterPicker(
  body: HTMLElement,
  ctx: PanelContext,
  key: string,
  place: number,
): HTMLSelectElement {
  let select = body.querySelector(`select[data-key="${key}"]`) as HTMLSelectElement | null;
  if (!select) {
    select = element("select", { "data-key": key });
    const ranked =
      ctx.view.importance.length > 0
        ? ctx.view.importance.map((r) => r.name)
        : ctx.view.parameters.map((p) => p.name);
    for (const name of ranked) select.append(element("option", { value: name }, name));
    select.selectedIndex = Math.min(place, ranked.length - 1);
    body.prepend(select);
  }
  return select;
}

const COLOURS = RAMP.map((c) => rgbaOf(c));
const places = new WeakMap<
  HTMLElement,
  { view: JobView; key: string; value: { xs: Float64Array; ys: Float64Array } }
>();

export const slicePanel: Panel = {
  name: "slice",
  title: "Slice",
  shows: (view) => view.parameters.length > 0,
  draw(body, ctx) {
    const select = parameterPicker(body, ctx, "slice", 0);
    select.onchange = () => slicePanel.draw(body, ctx);
    const { view, selection } = ctx;
    const parameter = view.parameters.find((p) => p.name === select.value) ?? view.parameters[0];
    if (!parameter) return;
    const column = parameterColumn(view, parameter);
    const objective = objectiveColumn(view);
    const f = frameOn(canvasIn(body), 280);
    const x = scale(parameterDomain(parameter, column), [f.left, f.right], Boolean(parameter.log));
    const y = scale(finiteExtent(objective), [f.bottom, f.top]);
    axes(f, x, y, parameter.name, view.objectives[0]?.name ?? "objective");
    const n = objective.length;
    // Where each trial's dot goes (NaN: none), kept until the view, the parameter or the size change.
    const at = memo(places, body, view, `${parameter.name}|${f.width}`, () => {
      // Categories spread a little around their place, so their dots do not pile up.
      const spread =
        parameter.type === "Categorical" ? column.map((p, i) => p + ((i * 0.618) % 1) * 0.5 - 0.25) : column;
      const xs = x.positions(spread);
      const ys = y.positions(objective);
      for (let i = 0; i < n; i++) if (Number.isNaN(ys[i] as number)) xs[i] = Number.NaN;
      return { xs, ys };
    });
    const dots = dotsFor(f);
    for (let i = 0; i < n; i++) {
      const px = at.xs[i] as number;
      if (!selection[i] || Number.isNaN(px)) continue;
      dots.square(px, at.ys[i] as number, 3, COLOURS[bucketOf(i / n)] as Rgba);
    }
    paintDots(f.ctx, dots);
  },
};
