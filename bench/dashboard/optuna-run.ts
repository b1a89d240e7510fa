/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// (Functions passed to page.evaluate and addInitScript run in the page.)
/**
 * optuna-dashboard's side: the same trials loaded into an Optuna study (a
 * journal file, by optuna_study.py), `optuna-dashboard FILE --port N` as a
 * child process, and its study page opened in the same Chromium. Timed
 * from navigation start to the first frame with the history plot's points
 * (and the intermediate-values plot's) in Plotly's SVG; the interaction
 * timed is its "Include PRUNED trials" switch, which filters the trials of
 * every plot, until the history plot has redrawn. Gives up after `timeoutMs`
 * and says what it saw by then.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { peakResidentBytes, residentBytes } from "../operator/process-memory.js";
import { stopChild, VIEWPORT } from "./hypertune-run.js";

export interface OptunaOpen {
  /** Navigation start → first frame with the history plot's points; null: not within the time allowed. */
  historyMs: number | null;
  /** … and with the intermediate-values plot's too. */
  curvesMs: number | null;
  points: number;
  /** Navigation start → the study's trials (/api/studies/ID) answered, and its size. */
  apiMs: number | null;
  apiBytes: number | null;
  apiRequests: number;
  /** What the page showed when it was given up on. */
  note: string;
}

export interface OptunaToggle {
  /** Click → the history plot redrawn (Plotly's afterplot), and → the frame after it. */
  drawnMs: number;
  paintedMs: number;
}

export interface OptunaResult {
  trials: number;
  loadSeconds: number;
  startMs: number;
  opens: OptunaOpen[];
  toggles: OptunaToggle[];
  rssAfterOpenBytes: number;
  peakRssBytes: number;
  pageErrors: string[];
}

declare global {
  interface Window {
    __benchPlotly?: { history?: number; curves?: number; points?: number };
  }
}

/** Installed before the page's scripts: notes the first frame in which each plot has points. */
function plotlyProbe(): void {
  const marks: { history?: number; curves?: number; points?: number } = {};
  window.__benchPlotly = marks;
  const look = () => {
    const history = document.querySelectorAll("#plot-history .scatterlayer .point").length;
    if (history > 0 && marks.history === undefined) {
      marks.history = performance.now();
      marks.points = history;
    }
    if (
      marks.curves === undefined &&
      document.querySelectorAll("#graph-intermediate-values .scatterlayer .point").length > 0
    )
      marks.curves = performance.now();
    if (marks.history === undefined || marks.curves === undefined) requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => ok(port));
    });
  });
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((ok, fail) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => {
      out += String(c);
    });
    child.stderr.on("data", (c: Buffer) => {
      err += String(c);
    });
    child.once("exit", (code) =>
      code === 0 ? ok(out) : fail(new Error(`${command} exited ${code}: ${err.slice(-2000)}`)),
    );
  });
}

async function openStudy(page: Page, url: string, timeoutMs: number): Promise<OptunaOpen> {
  let apiMs: number | null = null;
  let apiBytes: number | null = null;
  let apiRequests = 0;
  const t0 = performance.now();
  page.on("request", (r) => {
    if (/\/api\/studies\/\d+(\?|$)/.test(r.url())) apiRequests++;
  });
  page.on("requestfinished", (r) => {
    if (apiMs !== null || !/\/api\/studies\/\d+(\?|$)/.test(r.url())) return;
    apiMs = performance.now() - t0;
    r.sizes()
      .then((s) => {
        apiBytes = s.responseBodySize;
      })
      .catch(() => {});
  });
  await page.goto(url, { waitUntil: "commit", timeout: timeoutMs });
  const limit = `${Math.round(timeoutMs / 1000)} s`;
  let timedOut = false;
  try {
    await page.waitForFunction(
      () => window.__benchPlotly?.history !== undefined && window.__benchPlotly.curves !== undefined,
      null,
      { timeout: timeoutMs, polling: 250 },
    );
  } catch {
    timedOut = true;
  }
  // A page whose main thread is stuck does not answer; give it a few seconds.
  const marks = await Promise.race([
    page.evaluate(() => ({ ...window.__benchPlotly })),
    new Promise<undefined>((ok) => setTimeout(() => ok(undefined), 5000)),
  ]);
  let note = "";
  if (!marks) note = `not drawn within ${limit}: the page did not answer (main thread busy)`;
  else if (marks.history === undefined) note = `not drawn within ${limit}`;
  else if (marks.history > timeoutMs)
    note = `not within ${limit}: drawn after ${(marks.history / 1000).toFixed(0)} s, the page unresponsive till then`;
  else if (timedOut) note = `drawn, but the page stayed too busy to answer until past ${limit}`;
  return {
    historyMs: marks?.history ?? null,
    curvesMs: marks?.curves ?? null,
    points: marks?.points ?? 0,
    apiMs,
    apiBytes,
    apiRequests,
    note:
      note +
      (apiMs === null ? `${note ? "; " : ""}its trials (${apiRequests} request(s)) had not arrived` : ""),
  };
}

/** Clicks "Include PRUNED trials" and waits for the history plot's next afterplot event. */
function toggle(page: Page): Promise<OptunaToggle> {
  return page.evaluate(
    () =>
      new Promise<OptunaToggle>((resolve, reject) => {
        const plot = document.getElementById("plot-history") as
          | (HTMLElement & { on?: (event: string, f: () => void) => void })
          | null;
        const label = [...document.querySelectorAll("label")].find((l) =>
          l.textContent?.includes("Include PRUNED trials"),
        );
        const input = label?.querySelector("input");
        if (!plot?.on || !input) return reject(new Error("no history plot or PRUNED switch"));
        let t0 = 0;
        let done = false;
        plot.on("plotly_afterplot", () => {
          if (done) return;
          done = true;
          const drawn = performance.now();
          requestAnimationFrame(() =>
            setTimeout(() => resolve({ drawnMs: drawn - t0, paintedMs: performance.now() - t0 })),
          );
        });
        t0 = performance.now();
        input.click();
      }),
  );
}

export async function runOptuna(
  browser: Browser,
  opts: {
    venv: string;
    jobDir: string;
    workDir: string;
    limit?: number;
    reps: number;
    toggles: number;
    timeoutMs: number;
    log: (line: string) => void;
  },
): Promise<OptunaResult> {
  const journal = join(opts.workDir, `optuna-${opts.limit ?? "all"}.log`);
  const loaded = JSON.parse(
    await run(join(opts.venv, "bin", "python"), [
      join(import.meta.dirname, "optuna_study.py"),
      opts.jobDir,
      journal,
      "bench",
      ...(opts.limit ? [String(opts.limit)] : []),
    ]),
  ) as { trials: number; seconds: number; studyId: number };
  opts.log(`optuna: ${loaded.trials} trials loaded into ${journal} in ${loaded.seconds} s`);
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(
    join(opts.venv, "bin", "optuna-dashboard"),
    [journal, "--port", String(port), "--host", "127.0.0.1"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const pageErrors: string[] = [];
  try {
    await new Promise<void>((ok, fail) => {
      let out = "";
      const seen = (c: Buffer) => {
        out += String(c);
        if (out.includes("Listening on")) ok();
      };
      child.stdout.on("data", seen);
      child.stderr.on("data", seen);
      child.once("exit", (code) => fail(new Error(`optuna-dashboard exited ${code}: ${out.slice(-2000)}`)));
    });
    const startMs = performance.now() - t0;
    const url = `http://127.0.0.1:${port}/dashboard/studies/${loaded.studyId}`;
    const opens: OptunaOpen[] = [];
    const toggles: OptunaToggle[] = [];
    let rssAfterOpenBytes = Number.NaN;
    for (let r = 0; r < opts.reps; r++) {
      const context = await browser.newContext({ viewport: VIEWPORT });
      try {
        const page = await context.newPage();
        page.on("pageerror", (e) => pageErrors.push(e.message));
        await page.addInitScript({ content: "globalThis.__name ??= (f) => f;" });
        await page.addInitScript(plotlyProbe);
        const open = await openStudy(page, url, opts.timeoutMs);
        opens.push(open);
        if (r === 0) rssAfterOpenBytes = residentBytes(child.pid as number);
        opts.log(
          `optuna-dashboard (${loaded.trials}) open ${r + 1}: history ${open.historyMs?.toFixed(0) ?? "—"} ms, curves ${open.curvesMs?.toFixed(0) ?? "—"} ms${open.note ? ` (${open.note})` : ""}`,
        );
        // A page that took a quarter of the limit to draw is not opened again, nor toggled: each would take as long.
        const slow = open.historyMs === null || open.note !== "" || open.historyMs > opts.timeoutMs / 4;
        if (slow) break;
        for (let k = 0; k < opts.toggles && r === 0; k++) {
          const t = await Promise.race([
            toggle(page),
            new Promise<undefined>((ok) => setTimeout(() => ok(undefined), opts.timeoutMs / 4)),
          ]);
          if (!t) break;
          toggles.push(t);
        }
      } finally {
        await context.close();
      }
    }
    return {
      trials: loaded.trials,
      loadSeconds: loaded.seconds,
      startMs,
      opens,
      toggles,
      rssAfterOpenBytes,
      peakRssBytes: peakResidentBytes(child.pid as number),
      pageErrors,
    };
  } finally {
    await stopChild(child);
  }
}
