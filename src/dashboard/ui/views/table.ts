/**
 * The trial table: every trial passing the filter, sortable by any column,
 * its rows drawn only where the scroll box shows them (a 50,000-row table
 * stays as fast as a 50-row one). Clicking a row shows the trial's log.
 */
import type { JobView } from "../../view.js";
import { memo } from "../derived.js";
import { element, formatValue, type Panel, type PanelContext } from "./view.js";

const ROW_HEIGHT = 22;
const sorts = new WeakMap<HTMLElement, { column: string; descending: boolean }>();
const orders = new WeakMap<HTMLElement, { view: JobView; key: string; value: number[] }>();

interface Column {
  key: string;
  label: string;
  value(i: number): string | number | boolean | null;
}

function columnsOf(view: JobView): Column[] {
  const t = view.trials;
  const objectives = view.objectives.map((o) => o.name);
  const otherMetrics = Object.keys(t.metrics).filter((m) => !objectives.includes(m));
  return [
    { key: "index", label: "trial", value: (i) => t.index[i] ?? null },
    { key: "phase", label: "phase", value: (i) => t.phase[i] ?? null },
    ...objectives.map((m) => ({ key: `m:${m}`, label: m, value: (i: number) => t.metrics[m]?.[i] ?? null })),
    ...Object.keys(t.params).map((p) => ({
      key: `p:${p}`,
      label: p,
      value: (i: number) => t.params[p]?.[i] ?? null,
    })),
    ...otherMetrics.map((m) => ({
      key: `m:${m}`,
      label: m,
      value: (i: number) => t.metrics[m]?.[i] ?? null,
    })),
    {
      key: "duration",
      label: "duration s",
      value: (i) => {
        const end = t.finishedAt[i];
        const start = t.createdAt[i];
        return end === null || end === undefined || start === undefined
          ? null
          : Math.round((end - start) / 100) / 10;
      },
    },
    { key: "reason", label: "reason", value: (i) => t.reason[i] ?? null },
    { key: "message", label: "message", value: (i) => t.message[i] ?? null },
  ];
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b));
}

export const tablePanel: Panel = {
  name: "trials",
  title: "Trials",
  shows: () => true,
  draw(body, ctx) {
    const { view, selection } = ctx;
    const columns = columnsOf(view);
    const sort = sorts.get(body) ?? { column: "index", descending: false };
    sorts.set(body, sort);
    const column = columns.find((c) => c.key === sort.column) ?? (columns[0] as Column);
    // Every trial sorted once per view and sort; a filter then keeps the rows it selects, in that order.
    const order = memo(orders, body, view, `${column.key}|${sort.descending}`, () => {
      const n = view.trials.index.length;
      const keys = Array.from({ length: n }, (_, i) => column.value(i));
      const rows = Array.from({ length: n }, (_, i) => i);
      const sign = sort.descending ? -1 : 1;
      // Trials come in index order: the default sort is then no sort at all.
      let sorted = true;
      for (let i = 1; i < n && sorted; i++) sorted = compare(keys[i - 1], keys[i]) * sign <= 0;
      return sorted ? rows : rows.sort((p, q) => compare(keys[p], keys[q]) * sign);
    });
    const sorted = order.filter((i) => selection[i]);

    body.replaceChildren();
    body.append(
      element(
        "p",
        { class: "caption", "data-rows": String(sorted.length) },
        `${sorted.length} of ${view.trials.index.length} trial(s)`,
      ),
    );
    const scroller = element("div", { class: "table-scroll" });
    const table = element("table", { class: "trials" });
    const head = element("tr");
    for (const c of columns) {
      const th = element(
        "th",
        { "data-key": c.key },
        c.label + (c.key === sort.column ? (sort.descending ? " ▼" : " ▲") : ""),
      );
      th.onclick = () => {
        sorts.set(body, { column: c.key, descending: c.key === sort.column ? !sort.descending : false });
        tablePanel.draw(body, ctx);
      };
      head.append(th);
    }
    const thead = element("thead");
    thead.append(head);
    const tbody = element("tbody");
    table.append(thead, tbody);
    scroller.append(table);
    const log = element("pre", { class: "log", hidden: "" });
    body.append(scroller, log);

    const renderRows = () => {
      const first = Math.max(0, Math.floor(scroller.scrollTop / ROW_HEIGHT) - 10);
      const last = Math.min(sorted.length, first + Math.ceil(scroller.clientHeight / ROW_HEIGHT) + 20);
      const top = element("tr", { style: `height: ${first * ROW_HEIGHT}px` });
      const bottom = element("tr", { style: `height: ${(sorted.length - last) * ROW_HEIGHT}px` });
      const shown = sorted.slice(first, last).map((i) => rowOf(i, columns, view, ctx, log));
      tbody.replaceChildren(top, ...shown, bottom);
    };
    scroller.onscroll = () => requestAnimationFrame(renderRows);
    renderRows();
  },
};

function rowOf(
  i: number,
  columns: Column[],
  view: JobView,
  ctx: PanelContext,
  log: HTMLElement,
): HTMLTableRowElement {
  const index = view.trials.index[i] as number;
  const tr = element("tr", { "data-trial": String(index), class: `phase-${view.trials.phase[i]}` });
  for (const c of columns) tr.append(element("td", {}, formatValue(c.value(i))));
  tr.onclick = async () => {
    log.hidden = false;
    log.textContent = `trial ${index}: loading its log…`;
    const text = await ctx.client.log(view.job.id, index);
    log.textContent = text === undefined ? `trial ${index}: no log kept` : `trial ${index}\n${text}`;
  };
  return tr;
}
