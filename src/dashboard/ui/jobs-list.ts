/** The list of jobs: phase, progress, best value, strategy (and what Auto chose), age. */
import type { DataClient } from "./data.js";
import { element, formatValue } from "./views/view.js";

export async function showJobs(root: HTMLElement, client: DataClient): Promise<void> {
  const jobs = (await client.jobs()).sort((a, b) => b.createdAt - a.createdAt);
  const table = element("table", { class: "jobs" });
  const head = element("tr");
  for (const h of ["job", "phase", "progress", "best", "strategy", "age"]) head.append(element("th", {}, h));
  table.append(head);
  for (const job of jobs) {
    const row = element("tr", { "data-job": job.id });
    const link = element(
      "a",
      { href: `#/job/${encodeURIComponent(job.id)}` },
      job.namespace ? `${job.namespace}/${job.name}` : job.name,
    );
    const name = element("td");
    name.append(link);
    const strategy =
      job.strategy === job.strategyRequested ? job.strategy : `${job.strategyRequested} → ${job.strategy}`;
    const best =
      job.objectives > 1 ? `${job.objectives} objectives` : `${job.objective} ${formatValue(job.bestValue)}`;
    row.append(
      name,
      element("td", { class: `phase phase-${job.phase}` }, job.phase),
      element("td", {}, `${job.finished}/${job.maxTrials}${job.active ? ` (${job.active} running)` : ""}`),
      element("td", {}, best),
      element("td", {}, strategy),
      element("td", {}, age(job.createdAt)),
    );
    table.append(row);
  }
  root.replaceChildren(
    jobs.length === 0
      ? element("p", { class: "caption" }, "no jobs yet: run one with hypertune run FILE")
      : table,
  );
}

function age(ms: number): string {
  const s = Math.max(0, (Date.now() - ms) / 1000);
  if (s < 120) return `${Math.round(s)}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}
