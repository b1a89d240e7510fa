/** Parameter importance (PED-ANOVA, computed by the core on the finished trials), as bars. */
import { element, type Panel } from "./view.js";

export const importancePanel: Panel = {
  name: "importance",
  title: "Parameter importance (PED-ANOVA)",
  shows: (view) => view.parameters.length > 0,
  draw(body, { view }) {
    body.replaceChildren();
    const rows = view.importance;
    if (rows.every((r) => r.importance === 0)) {
      body.append(element("p", { class: "caption" }, "not enough finished trials to tell yet"));
      return;
    }
    const list = element("ol", { class: "bars" });
    for (const row of rows) {
      const item = element("li", { "data-parameter": row.name });
      item.append(
        element("span", { class: "bar-label" }, row.name),
        element("span", { class: "bar", style: `width: ${(row.importance * 100).toFixed(1)}%` }),
        element("span", { class: "bar-value" }, row.importance.toFixed(3)),
      );
      list.append(item);
    }
    body.append(list);
  },
};
