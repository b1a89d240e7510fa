/**
 * `hypertune report`: the dashboard's page for finished local jobs as one
 * self-contained HTML file (data, script and styles inlined; its CSP forbids
 * every fetch), the artifact a CI pipeline or a paper keeps.
 */
import { existsSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { endedWithoutResult, type TrialPhase } from "../api/index.js";
import { LocalJobSource } from "./local-source.js";
import { type DashboardAssets, pageHtml, type ReportData } from "./page.js";
import { buildJobView, type JobView, jobListItem, type SourceJob } from "./view.js";

/** Logs kept per job: the best trials' and the failed ones', each cut to its end. */
const LOGS_PER_JOB = 40;
const LOG_BYTES = 16 * 1024;

/** A state root (folder of job folders) and, when given one job's folder, that job's name. */
export function reportScope(path: string): { root: string; only?: string } {
  if (existsSync(join(path, "job.json"))) return { root: dirname(path), only: basename(path) };
  return { root: path };
}

export async function reportData(root: string, only?: string): Promise<ReportData> {
  const source = new LocalJobSource(root);
  const jobs: SourceJob[] = [];
  const views: Record<string, JobView> = {};
  const logs: Record<string, Record<number, string>> = {};
  for (const id of await source.ids()) {
    const job = only === undefined || id === only ? await source.job(id) : undefined;
    if (!job) continue;
    jobs.push(job);
    const view = buildJobView(job);
    views[job.id] = view;
    logs[job.id] = {};
    for (const index of trialsWorthALog(view)) {
      const text = await source.trialLog(job.id, index);
      if (text !== undefined) (logs[job.id] as Record<number, string>)[index] = tail(text, LOG_BYTES);
    }
  }
  return { generatedAt: Date.now(), jobs: jobs.map(jobListItem), views, logs };
}

export function reportHtml(assets: DashboardAssets, data: ReportData): string {
  return pageHtml(assets, { mode: "report", data });
}

function trialsWorthALog(view: JobView): number[] {
  const { index, phase } = view.trials;
  const failed = index.filter((_, i) => endedWithoutResult({ phase: phase[i] as TrialPhase }));
  const best = [view.best, ...view.paretoFront].filter((i): i is number => i !== null);
  return [...new Set([...best, ...failed.slice(-LOGS_PER_JOB)])].slice(0, LOGS_PER_JOB);
}

function tail(text: string, bytes: number): string {
  return text.length <= bytes ? text : `… (cut)\n${text.slice(-bytes)}`;
}
