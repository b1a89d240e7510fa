/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// (Functions passed to page.evaluate and addInitScript run in the page.)
/**
 * Timing the hypertune page in Chromium, from inside the page: the job page
 * marks its first full draw (`data-open-at`, ms since navigation start) and
 * every draw's kind and duration (`data-last-draw`, `data-last-draw-ms`);
 * each panel's section carries its own draw time (`data-draw-ms`). "Painted"
 * is the next frame after that (a requestAnimationFrame, then a task), when
 * the drawing is on screen.
 */
import type { Page } from "playwright-core";

export interface OpenTiming {
  /** Navigation start → first full draw done. */
  drawnMs: number;
  /** Navigation start → the frame after it. */
  paintedMs: number;
  /** The job page's own span: showJob start → first draw done. */
  showMs: number;
  /** showJob start → view in hand (fetch, download and JSON parse; for a report, a lookup). */
  loadMs: number;
  /** The first draw itself (filter, every panel). */
  drawMs: number;
  /** Navigation start → the page's script started showing the job. */
  bootMs: number;
  /** /api/job: request → first byte (the server's view build and JSON), and → last byte. */
  apiFirstByteMs: number | null;
  apiLastByteMs: number | null;
  panels: Record<string, number>;
}

export interface FilterTiming {
  text: string;
  /** The input event → the redraw done (one animation frame's wait included). */
  drawnMs: number;
  /** The input event → the frame after the redraw. */
  paintedMs: number;
  /** The redraw itself. */
  drawMs: number;
  rows: number;
  panels: Record<string, number>;
}

declare global {
  interface Window {
    __benchOpen?: { drawn: number; painted?: number };
  }
}

/** Installed before the page's scripts: notes when the first full draw lands and when it is painted. */
function openProbe(): void {
  // The document, not its root element: that may not exist yet when this runs.
  const observer = new MutationObserver(() => {
    if (document.documentElement.dataset.openAt === undefined || window.__benchOpen) return;
    observer.disconnect();
    const mark: { drawn: number; painted?: number } = { drawn: performance.now() };
    window.__benchOpen = mark;
    requestAnimationFrame(() =>
      setTimeout(() => {
        mark.painted = performance.now();
      }),
    );
  });
  observer.observe(document, { attributes: true, subtree: true, attributeFilter: ["data-open-at"] });
}

export async function preparePage(page: Page): Promise<void> {
  // tsx (esbuild with keepNames) wraps inner functions in __name(...): the page needs it too.
  await page.addInitScript({ content: "globalThis.__name ??= (f) => f;" });
  await page.addInitScript(openProbe);
}

/** Opens `url` in `page` (prepared with `preparePage`) and times the job page's first full draw. */
export async function timeOpen(page: Page, url: string, timeoutMs = 120_000): Promise<OpenTiming> {
  await page.goto(url, { waitUntil: "commit", timeout: timeoutMs });
  await page.waitForFunction(() => window.__benchOpen?.painted !== undefined, null, {
    timeout: timeoutMs,
    polling: 100,
  });
  return page.evaluate(() => {
    const d = document.documentElement.dataset;
    const mark = window.__benchOpen as { drawn: number; painted: number };
    const showMs = Number(d.openMs);
    const api = performance.getEntriesByType("resource").find((e) => e.name.includes("/api/job")) as
      | PerformanceResourceTiming
      | undefined;
    const panels: Record<string, number> = {};
    for (const s of document.querySelectorAll<HTMLElement>("section.panel"))
      panels[s.id.replace(/^panel-/, "")] = Number(s.dataset.drawMs);
    return {
      drawnMs: Number(d.openAt),
      paintedMs: mark.painted,
      showMs,
      loadMs: Number(d.openLoadMs),
      drawMs: Number(d.lastDrawMs),
      bootMs: Number(d.openAt) - showMs,
      apiFirstByteMs: api ? api.responseStart - api.requestStart : null,
      apiLastByteMs: api ? api.responseEnd - api.requestStart : null,
      panels,
    };
  });
}

/** Puts `text` in the filter box as one input event (a paste) and times the redraw it causes. */
export function timeFilter(page: Page, text: string): Promise<FilterTiming> {
  return page.evaluate(
    (text) =>
      new Promise<FilterTiming>((resolve) => {
        const root = document.documentElement;
        const input = document.querySelector("input.filter") as HTMLInputElement;
        let t0 = 0;
        const observer = new MutationObserver(() => {
          if (root.dataset.lastDraw !== "filter") return;
          observer.disconnect();
          const drawn = performance.now();
          const panels: Record<string, number> = {};
          for (const s of document.querySelectorAll<HTMLElement>("section.panel"))
            panels[s.id.replace(/^panel-/, "")] = Number(s.dataset.drawMs);
          const rows = Number(document.querySelector("#panel-trials [data-rows]")?.getAttribute("data-rows"));
          requestAnimationFrame(() =>
            setTimeout(() =>
              resolve({
                text,
                drawnMs: drawn - t0,
                paintedMs: performance.now() - t0,
                drawMs: Number(root.dataset.lastDrawMs),
                rows,
                panels,
              }),
            ),
          );
        });
        // Every draw sets data-last-draw-ms, so each one is seen even when its value repeats.
        observer.observe(root, { attributes: true, attributeFilter: ["data-last-draw-ms"] });
        input.value = text;
        t0 = performance.now();
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }),
    text,
  );
}
