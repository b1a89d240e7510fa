/**
 * The optimisation history (or, for several objectives, the Pareto front of
 * the first two) and the parameter importance as standalone SVG, for people
 * who paste a picture. Same scales and ticks as the page's canvas views.
 */

import { finishedObjective } from "./columns.js";
import { extent, formatTick, type Scale, scale, ticks } from "./ui/scales.js";
import type { JobView } from "./view.js";

const W = 640;
const H = 360;
const M = { left: 64, right: 16, top: 28, bottom: 40 };

export function historySvg(view: JobView): string {
  if (view.objectives.length > 1) return paretoSvg(view);
  const values = finishedObjective(view);
  const xs: number[] = [];
  const ys: number[] = [];
  view.trials.index.forEach((index, i) => {
    const v = values[i];
    if (v === null || v === undefined) return;
    xs.push(index);
    ys.push(v);
  });
  const x = scale(padded(extent([...xs, ...view.bestSoFar.index])), [M.left, W - M.right]);
  const y = scale(padded(extent(ys)), [H - M.bottom, M.top]);
  const dots = xs.map((xi, k) => `M${r(x(xi))} ${r(y(ys[k] as number))}h0`).join("");
  let best = "";
  view.bestSoFar.index.forEach((index, k) => {
    const v = view.bestSoFar.value[k] as number;
    best += k === 0 ? `M${r(x(index))} ${r(y(v))}` : `H${r(x(index))}V${r(y(v))}`;
  });
  if (view.bestSoFar.index.length > 0) best += `H${r(x(x.domain[1]))}`;
  const objective = view.objectives[0]?.name ?? "objective";
  return svgDocument(
    `${view.job.name}: optimisation history`,
    axes(x, y, "trial", objective) +
      `<path d="${dots}" stroke="#355f8d" stroke-width="4" stroke-linecap="round" opacity="0.7"/>` +
      `<path d="${best}" fill="none" stroke="#e4572e" stroke-width="2"/>`,
  );
}

export function importanceSvg(view: JobView): string {
  const rows = view.importance;
  const rowHeight = 22;
  const height = Math.max(H / 2, M.top + rows.length * rowHeight + 16);
  const barLeft = 180;
  const barWidth = W - barLeft - 70;
  const bars = rows
    .map((row, k) => {
      const top = M.top + k * rowHeight;
      return (
        `<text x="${barLeft - 8}" y="${top + 14}" text-anchor="end">${xmlText(row.name)}</text>` +
        `<rect x="${barLeft}" y="${top + 4}" width="${r(Math.max(1, row.importance * barWidth))}" height="13" fill="#355f8d"/>` +
        `<text x="${r(barLeft + row.importance * barWidth + 6)}" y="${top + 14}" fill="#4a5260">${row.importance.toFixed(3)}</text>`
      );
    })
    .join("");
  return svgDocument(`${view.job.name}: parameter importance (PED-ANOVA)`, bars, height);
}

function paretoSvg(view: JobView): string {
  const [o0, o1] = view.objectives;
  const column = (name: string | undefined) =>
    view.trials.phase.map((p, i) =>
      p === "Succeeded" ? (view.trials.metrics[name ?? ""]?.[i] ?? null) : null,
    );
  const a = column(o0?.name);
  const b = column(o1?.name);
  const x = scale(padded(extent(a)), [M.left, W - M.right]);
  const y = scale(padded(extent(b)), [H - M.bottom, M.top]);
  const front = new Set(view.paretoFront);
  let others = "";
  let best = "";
  view.trials.index.forEach((index, i) => {
    const va = a[i];
    const vb = b[i];
    if (va === null || va === undefined || vb === null || vb === undefined) return;
    const d = `M${r(x(va))} ${r(y(vb))}h0`;
    if (front.has(index)) best += d;
    else others += d;
  });
  return svgDocument(
    `${view.job.name}: Pareto front`,
    axes(x, y, o0?.name ?? "", o1?.name ?? "") +
      `<path d="${others}" stroke="#9aa3ad" stroke-width="4" stroke-linecap="round"/>` +
      `<path d="${best}" stroke="#e4572e" stroke-width="7" stroke-linecap="round"/>`,
  );
}

function axes(x: Scale, y: Scale, xLabel: string, yLabel: string): string {
  const bottom = H - M.bottom;
  let out = `<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${bottom - M.top}" fill="none" stroke="#8a929e"/>`;
  for (const t of ticks(x))
    out += `<line x1="${r(x(t))}" x2="${r(x(t))}" y1="${M.top}" y2="${bottom}" stroke="#e3e6ea"/><text x="${r(x(t))}" y="${bottom + 14}" text-anchor="middle">${formatTick(t)}</text>`;
  for (const t of ticks(y))
    out += `<line x1="${M.left}" x2="${W - M.right}" y1="${r(y(t))}" y2="${r(y(t))}" stroke="#e3e6ea"/><text x="${M.left - 6}" y="${r(y(t)) + 4}" text-anchor="end">${formatTick(t)}</text>`;
  out += `<text x="${(M.left + W - M.right) / 2}" y="${H - 6}" text-anchor="middle">${xmlText(xLabel)}</text>`;
  out += `<text transform="translate(14 ${(M.top + bottom) / 2}) rotate(-90)" text-anchor="middle">${xmlText(yLabel)}</text>`;
  return out;
}

function svgDocument(title: string, body: string, height = H): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${r(height)}" viewBox="0 0 ${W} ${r(height)}" font-family="sans-serif" font-size="11" fill="#1d232b">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${M.left}" y="18" font-size="13" font-weight="600">${xmlText(title)}</text>
${body}
</svg>
`;
}

/** 4% of the range on each side, so marks at the extremes are not cut by the frame. */
function padded([lo, hi]: [number, number]): [number, number] {
  const pad = (hi - lo) * 0.04;
  return [lo - pad, hi + pad];
}

const r = (v: number) => Math.round(v * 10) / 10;

function xmlText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
