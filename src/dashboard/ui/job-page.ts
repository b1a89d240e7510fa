/**
 * One job's page: a summary line, the filter, and the panels. A live change
 * of the job refetches its view and redraws the panels in place (no reload).
 */

import type { JobView } from "../view.js";
import type { DataClient } from "./data.js";
import { applyFilter } from "./filter.js";
import { contourPanel } from "./views/contour.js";
import { curvesPanel } from "./views/curves.js";
import { historyPanel } from "./views/history.js";
import { importancePanel } from "./views/importance.js";
import { parallelPanel } from "./views/parallel.js";
import { hypervolumePanel, paretoPanel } from "./views/pareto.js";
import { slicePanel } from "./views/slice.js";
import { tablePanel } from "./views/table.js";
import { element, formatValue, type Panel } from "./views/view.js";

const PANELS: Panel[] = [
  historyPanel,
  paretoPanel,
  hypervolumePanel,
  importancePanel,
  parallelPanel,
  slicePanel,
  contourPanel,
  curvesPanel,
  tablePanel,
];

export interface JobPage {
  id: string;
  refresh(): Promise<void>;
}

export async function showJob(root: HTMLElement, client: DataClient, id: string): Promise<JobPage> {
  const started = performance.now();
  root.replaceChildren(element("p", { class: "caption" }, `loading ${id}…`));
  let view = await client.job(id);
  const loaded = performance.now();
  if (!view) {
    root.replaceChildren(element("p", { class: "error" }, `no job "${id}"`));
    return { id, refresh: async () => {} };
  }
  const summary = element("p", { class: "summary" });
  const filter = element("input", {
    type: "search",
    class: "filter",
    placeholder: "filter: lr<0.01 phase=EarlyStopped optimizer=adam …",
    "aria-label": "filter trials",
  });
  const filterErrors = element("span", { class: "error" });
  const grid = element("div", { class: "panels" });
  const bodies = new Map<string, HTMLElement>();
  const nav = element("nav");
  nav.append(element("a", { href: "#" }, "← all jobs"));
  const filterRow = element("div", { class: "filter-row" });
  filterRow.append(filter, filterErrors);
  root.replaceChildren(nav, summary, filterRow, grid);

  const draw = (current: JobView, reason: "open" | "update" | "filter") => {
    const t0 = performance.now();
    summary.textContent = summaryOf(current);
    const { selection, errors } = applyFilter(current.trials, filter.value);
    filterErrors.textContent = errors.join("; ");
    for (const panel of PANELS) {
      if (!panel.shows(current)) continue;
      let body = bodies.get(panel.name);
      if (!body) {
        const section = element("section", { id: `panel-${panel.name}`, class: `panel panel-${panel.name}` });
        body = element("div", { class: "panel-body" });
        section.append(element("h2", {}, panel.title), body);
        grid.append(section);
        bodies.set(panel.name, body);
      }
      const p0 = performance.now();
      panel.draw(body, { view: current, selection, client });
      const section = body.parentElement as HTMLElement;
      section.dataset.drawMs = (performance.now() - p0).toFixed(1);
      section.dataset.drawn = String(Number(section.dataset.drawn ?? 0) + 1);
    }
    const now = performance.now();
    document.documentElement.dataset.lastDraw = reason;
    document.documentElement.dataset.lastDrawMs = String(Math.round(now - t0));
    if (reason === "open") {
      document.documentElement.dataset.openMs = String(Math.round(now - started));
      document.documentElement.dataset.openLoadMs = String(Math.round(loaded - started));
      // Since navigation start, for timing the page as a whole.
      document.documentElement.dataset.openAt = String(Math.round(now));
    }
    document.documentElement.dataset.trials = String(current.trials.index.length);
  };
  // Typing fast coalesces into one redraw: the events that arrive while one is queued or drawing.
  // A timer rather than an animation frame: the redraw starts at once, not at the next frame.
  let pendingFilter: ReturnType<typeof setTimeout> | undefined;
  filter.oninput = () => {
    clearTimeout(pendingFilter);
    pendingFilter = setTimeout(() => view && draw(view, "filter"));
  };
  draw(view, "open");
  return {
    id,
    refresh: async () => {
      const next = await client.job(id);
      if (next) {
        view = next;
        draw(next, "update");
      }
    },
  };
}

function summaryOf(view: JobView): string {
  const j = view.job;
  const strategy = j.strategy === j.strategyRequested ? j.strategy : `${j.strategyRequested} → ${j.strategy}`;
  const best =
    j.objectives > 1
      ? `${view.paretoFront.length} on the Pareto front`
      : `best ${j.objective} ${formatValue(j.bestValue)}${view.best === null ? "" : ` (trial ${view.best})`}`;
  const why = [view.reason, view.message].filter(Boolean).join(": ");
  return `${j.name}: ${j.phase}${why ? ` (${why})` : ""} · ${j.finished}/${j.maxTrials} finished, ${j.active} running · ${best} · strategy ${strategy}`;
}
