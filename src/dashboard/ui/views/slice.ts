/**
 * Slice: the objective against one parameter (chosen in the panel, the most
 * important first), each finished trial a dot coloured by trial index.
 */
import { axes, bucketOf, extent, frameOn, numericValue, RAMP, scale } from "../canvas.js";
import { canvasIn, element, finishedObjective, type Panel, type PanelContext } from "./view.js";

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
    const categories = parameter.type === "Categorical" ? parameter.values : undefined;
    const column = (view.trials.params[parameter.name] ?? []).map((v) => numericValue(v, categories));
    const objective = finishedObjective(view);
    const f = frameOn(canvasIn(body), 280);
    const xDomain: [number, number] = categories
      ? [-0.5, categories.length - 0.5]
      : parameter.min !== undefined && parameter.max !== undefined
        ? [parameter.min, parameter.max]
        : extent(column);
    const x = scale(xDomain, [f.left, f.right], Boolean(parameter.log));
    const y = scale(extent(objective), [f.bottom, f.top]);
    axes(f, x, y, parameter.name, view.objectives[0]?.name ?? "objective");
    const paths = RAMP.map(() => new Path2D());
    const n = objective.length;
    for (let i = 0; i < n; i++) {
      const v = objective[i];
      const p = column[i];
      if (!selection[i] || v === null || v === undefined || p === null || p === undefined) continue;
      const jitter = categories ? ((i * 0.618) % 1) * 0.5 - 0.25 : 0;
      (paths[bucketOf(i / n)] as Path2D).rect(x(p + jitter) - 1.5, y(v) - 1.5, 3, 3);
    }
    paths.forEach((p, b) => {
      f.ctx.fillStyle = RAMP[b] as string;
      f.ctx.fill(p);
    });
  },
};
