// Markdown tables of the results, printed and written to bench/results/dashboard.md.
import { mib } from "../operator/process-memory.js";
import { median } from "../search/stats.js";
import type { HypertuneResult } from "./hypertune-run.js";
import type { OptunaResult } from "./optuna-run.js";
import type { FilterTiming, OpenTiming } from "./page-timing.js";
import type { SyntheticJob } from "./synthetic.js";

export const AIMS = { openMs: 2000, filterMs: 200, reportBytes: 20e6 };

export interface Environment {
  date: string;
  commit: string;
  node: string;
  chromium: string;
  optunaDashboard: string;
  cores: number;
  loadBefore: string;
  loadAfter: string;
  viewport: string;
}

export interface SizeRun {
  job: SyntheticJob;
  hypertune: HypertuneResult;
  /** Absent: not run; a string: why it could not run. */
  optuna?: OptunaResult | string;
}

const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
const table = (header: string[], rows: string[][]) =>
  [row(header), row(header.map(() => "---")), ...rows.map(row)].join("\n");
const ms = (v: number | null | undefined) =>
  v === null || v === undefined || !Number.isFinite(v) ? "—" : `${v.toFixed(0)} ms`;
const mb = (bytes: number | null | undefined) => (bytes ? `${(bytes / 1e6).toFixed(1)} MB` : "—");
const max = (v: number[]) => (v.length ? Math.max(...v) : Number.NaN);
/** "median (max)" of a measure over repetitions. */
const mm = (values: number[]) => (values.length ? `${ms(median(values))} (max ${ms(max(values))})` : "—");
const verdict = (ok: boolean) => (ok ? "met" : "**missed**");

export function environmentTable(env: Environment): string {
  return table(
    [
      "Commit",
      "Node",
      "Chromium",
      "optuna-dashboard",
      "Cores",
      "Load average before → after (1/5/15 min)",
      "Date",
    ],
    [
      [
        env.commit,
        env.node,
        env.chromium,
        env.optunaDashboard,
        `${env.cores}`,
        `${env.loadBefore} → ${env.loadAfter}`,
        env.date,
      ],
    ],
  );
}

export function jobTable(job: SyntheticJob): string {
  const c = job.counts;
  return table(
    [
      "Trials",
      "Succeeded",
      "EarlyStopped",
      "Failed",
      "With intermediate values",
      "trials.jsonl",
      "Event lines",
    ],
    [
      [
        `${job.trials}`,
        `${c.Succeeded ?? 0}`,
        `${c.EarlyStopped ?? 0}`,
        `${c.Failed ?? 0}`,
        `${c.withCurves ?? 0}`,
        mb(job.bytes),
        `${job.eventLines}`,
      ],
    ],
  );
}

const filterOf = (r: HypertuneResult, text: string) =>
  r.reps.flatMap((rep) => rep.filters.filter((f) => f.text === text));

function optunaCells(o: OptunaResult | string | undefined): Record<string, string> {
  if (o === undefined) return {};
  if (typeof o === "string") return { open: o };
  const drawn = o.opens.filter((x) => x.historyMs !== null);
  const failed = o.opens.find((x) => x.historyMs === null);
  const troubled = o.opens.find((x) => x.historyMs !== null && x.note !== "");
  const api = o.opens.find((x) => x.apiMs !== null);
  return {
    start: ms(o.startMs),
    open: failed
      ? `not drawn: ${failed.note}${drawn.length ? ` (drawn ${drawn.length} of ${o.opens.length} times)` : ""}`
      : troubled
        ? `${troubled.note} (history ${ms(troubled.historyMs)}, intermediate values ${ms(troubled.curvesMs)}; one try)`
        : `${mm(drawn.map((x) => x.historyMs as number))}; intermediate values ${mm(drawn.map((x) => x.curvesMs as number))}`,
    server: api ? `${ms(api.apiMs)} (navigation → trials answered)` : "—",
    bytes: `${mb(api?.apiBytes)} (/api/studies/ID)`,
    filter: o.toggles.length
      ? `${mm(o.toggles.map((t) => t.paintedMs))} ("Include PRUNED trials" switch)`
      : failed
        ? "— (page not drawn)"
        : "not tried (the page took minutes to draw)",
    rss: `${mib(o.rssAfterOpenBytes).toFixed(0)} MiB (peak ${mib(o.peakRssBytes).toFixed(0)} MiB)`,
  };
}

/** The side-by-side table for one size. */
export function comparisonTable(run: SizeRun, filterText: string): string {
  const h = run.hypertune;
  const o = optunaCells(run.optuna);
  const cold = h.reps.map((r) => r.cold);
  const ready = h.reps.map((r) => r.ready);
  const filters = filterOf(h, filterText);
  const rows = [
    ["Server start (spawn → listening)", mm(h.reps.map((r) => r.startMs)), o.start ?? "—"],
    [
      "**Open the instant the server listens (it still reads the job): navigation → all plots painted**",
      mm(cold.map((t) => t.paintedMs)),
      o.open ?? "not run",
    ],
    ["… → last draw done (`data-open-at`)", mm(cold.map((t) => t.drawnMs)), ""],
    [
      "… of which navigation → script shows the job (the server answers once its start-up read is done)",
      mm(cold.map((t) => t.bootMs)),
      o.server ?? "",
    ],
    [
      "**Open once the server is ready (job read at start-up): → all plots painted**",
      mm(ready.map((t) => t.paintedMs)),
      "",
    ],
    ["… of which the server", mm(ready.map((t) => t.apiFirstByteMs ?? Number.NaN)), ""],
    ["Job data sent to the page", mb(h.apiJobBytes), o.bytes ?? ""],
    [
      `**Filter \`${filterText}\`: input → redrawn and painted**`,
      mm(filters.map((f) => f.paintedMs)),
      o.filter ?? "",
    ],
    ["… → redraw done (`data-last-draw` = filter)", mm(filters.map((f) => f.drawnMs)), ""],
    [
      "Server RSS after the page is served (peak)",
      `${mib(median(h.reps.map((r) => r.rssAfterOpenBytes))).toFixed(0)} MiB (peak ${mib(max(h.reps.map((r) => r.peakRssBytes))).toFixed(0)} MiB)`,
      o.rss ?? "",
    ],
  ];
  if (h.report)
    rows.push(
      ["`hypertune report` file", `${mb(h.report.bytes)}, written in ${ms(h.report.writeMs)}`, "(none)"],
      ["Report opened from file://: → all plots painted", mm(h.report.opens.map((t) => t.paintedMs)), ""],
    );
  return table(["Measure (median over repetitions, max)", "hypertune", "optuna-dashboard"], rows);
}

export function aimsTable(run: SizeRun, filterText: string): string {
  const h = run.hypertune;
  const med = (v: number[]) => median(v);
  const cold = h.reps.map((r) => r.cold);
  const ready = h.reps.map((r) => r.ready);
  const filters = filterOf(h, filterText);
  const both = (drawn: number, painted: number, aim: number) => [
    ms(drawn),
    verdict(drawn <= aim),
    ms(painted),
    verdict(painted <= aim),
  ];
  const rows = [
    [
      "First full render, the instant the server listens",
      "≤ 2 s",
      ...both(med(cold.map((t) => t.drawnMs)), med(cold.map((t) => t.paintedMs)), AIMS.openMs),
    ],
    [
      "First full render, server ready",
      "≤ 2 s",
      ...both(med(ready.map((t) => t.drawnMs)), med(ready.map((t) => t.paintedMs)), AIMS.openMs),
    ],
    [
      `Filter \`${filterText}\`, from the input event`,
      "≤ 200 ms",
      ...both(med(filters.map((f) => f.drawnMs)), med(filters.map((f) => f.paintedMs)), AIMS.filterMs),
    ],
  ];
  if (h.report)
    rows.push([
      "Report file size",
      "≤ 20 MB",
      mb(h.report.bytes),
      verdict(h.report.bytes <= AIMS.reportBytes),
      "",
      "",
    ]);
  return table(["Aim (medians)", "Aim", "→ draw done", "", "→ painted (next frame)", ""], rows);
}

/** Where an open's time goes: the page's own marks, medians over repetitions. */
export function breakdownTable(h: HypertuneResult): string {
  const part = (pick: (t: OpenTiming) => number) => (list: OpenTiming[]) => ms(median(list.map(pick)));
  const lists: [string, OpenTiming[]][] = [
    ["open as the server starts", h.reps.map((r) => r.cold)],
    ["open, server ready", h.reps.map((r) => r.ready)],
    ...(h.report ? ([["report", h.report.opens]] as [string, OpenTiming[]][]) : []),
  ];
  const measures: [string, (l: OpenTiming[]) => string][] = [
    ["navigation → script shows the job", part((t) => t.bootMs)],
    ["view in hand (fetch + JSON parse; report: its data parsed at boot)", part((t) => t.loadMs)],
    ["… server, request → first byte", part((t) => t.apiFirstByteMs ?? Number.NaN)],
    ["… request → last byte", part((t) => t.apiLastByteMs ?? Number.NaN)],
    ["first draw (filter + every panel)", part((t) => t.drawMs)],
    ["draw done → next frame (canvas raster, layout)", part((t) => t.paintedMs - t.drawnMs)],
    ["total: navigation → painted", part((t) => t.paintedMs)],
  ];
  return table(
    ["Part", ...lists.map(([name]) => name)],
    measures.map(([label, f]) => [label, ...lists.map(([, l]) => f(l))]),
  );
}

/** Each panel's draw time (the script's part; Chromium paints canvases after), medians. */
export function panelTable(h: HypertuneResult, filterText: string): string {
  const opens = h.reps.map((r) => r.cold);
  const filters = filterOf(h, filterText);
  const names = Object.keys(opens[0]?.panels ?? {});
  const med = (list: (OpenTiming | FilterTiming)[], name: string) =>
    ms(median(list.map((t) => t.panels[name] ?? Number.NaN)));
  return table(
    ["Panel", "first draw", `redraw for \`${filterText}\``],
    names.map((name) => [name, med(opens, name), med(filters, name)]),
  );
}

export function filtersTable(h: HypertuneResult): string {
  const texts = [...new Set(h.reps.flatMap((r) => r.filters.map((f) => f.text)))];
  return table(
    ["Filter", "Rows kept", "input → redraw done", "input → painted", "the redraw itself"],
    texts.map((text) => {
      const f = filterOf(h, text);
      return [
        `\`${text}\``,
        `${f[0]?.rows ?? "—"}`,
        mm(f.map((x) => x.drawnMs)),
        mm(f.map((x) => x.paintedMs)),
        mm(f.map((x) => x.drawMs)),
      ];
    }),
  );
}

export interface ServerParts {
  readMs: number;
  viewMs: number;
  jsonMs: number;
  importanceMs: number;
}

export function serverPartsTable(parts: ServerParts[]): string {
  const med = (pick: (p: ServerParts) => number) => ms(median(parts.map(pick)));
  return table(
    ["Part", "Median"],
    [
      ["read the state folder (job.json, trials.jsonl rebuilt by the runner's reader)", med((p) => p.readMs)],
      ["build the view", med((p) => p.viewMs)],
      [
        "parameter importance alone (PED-ANOVA, part of the view; timed by itself, cold)",
        med((p) => p.importanceMs),
      ],
      ["its JSON", med((p) => p.jsonMs)],
    ],
  );
}
