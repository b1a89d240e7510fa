/** What every panel of the job page gets, and how it tells the page it has drawn. */

import type { JobView } from "../../view.js";
import type { DataClient } from "../data.js";
import type { Selection } from "../filter.js";

export { finishedObjective } from "../../columns.js";

export interface PanelContext {
  view: JobView;
  /** Trials passing the filter, in column order. */
  selection: Selection;
  client: DataClient;
}

export interface Panel {
  /** Stable name: the panel's element id and what `drawn` reports. */
  name: string;
  title: string;
  /** False: the panel is left out for this job (e.g. the Pareto front of a one-objective job). */
  shows(view: JobView): boolean;
  /** Draws into `body`; called again with a new context when data or filter change. */
  draw(body: HTMLElement, ctx: PanelContext): void;
}

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

/** A canvas that fills its panel; reused across redraws so the page does not flicker. */
export function canvasIn(body: HTMLElement): HTMLCanvasElement {
  const existing = body.querySelector("canvas.plot");
  if (existing) return existing as HTMLCanvasElement;
  const canvas = element("canvas", { class: "plot" });
  body.append(canvas);
  return canvas;
}

export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return "–";
  if (typeof v === "number")
    return Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3)
      ? v.toExponential(3)
      : String(Number(v.toPrecision(5)));
  return String(v);
}
