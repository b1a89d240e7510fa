/**
 * hypertune's side: the real CLI as a child process (`hypertune dashboard
 * --port 0`, the URL read from its start-up line), the job page opened in
 * Chromium the instant the server listens (it still reads the job: the
 * server builds every view at start-up) and once more on the same server,
 * ready (a fresh browser context; the view is built), filters typed, the server's memory
 * read from /proc; then `hypertune report` written and opened from file://.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { statSync } from "node:fs";
import { request } from "node:http";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { peakResidentBytes, residentBytes } from "../operator/process-memory.js";
import { type FilterTiming, type OpenTiming, preparePage, timeFilter, timeOpen } from "./page-timing.js";

const repoRoot = resolve(import.meta.dirname, "..", "..");
const CLI = join(repoRoot, "bin", "hypertune.js");
export const VIEWPORT = { width: 1400, height: 1000 };

export interface HypertuneRep {
  startMs: number;
  cold: OpenTiming;
  ready: OpenTiming;
  filters: FilterTiming[];
  rssAfterOpenBytes: number;
  rssAfterCachedBytes: number;
  peakRssBytes: number;
}

export interface HypertuneResult {
  reps: HypertuneRep[];
  apiJobBytes: number;
  apiJobMs: number;
  report?: { writeMs: number; bytes: number; opens: OpenTiming[]; filters: FilterTiming[] };
  pageErrors: string[];
}

interface Served {
  url: string;
  pid: number;
  startMs: number;
  stop(): Promise<void>;
}

async function serve(stateRoot: string): Promise<Served> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI, "dashboard", "--state-dir", stateRoot, "--port", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = await new Promise<string>((ok, fail) => {
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += String(chunk);
      const m = /(http:\/\/\S+\/)/.exec(out);
      if (m?.[1]) ok(m[1]);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += String(chunk);
    });
    child.once("exit", (code) => fail(new Error(`hypertune dashboard exited (${code}): ${err}`)));
  });
  const startMs = performance.now() - t0;
  return { url, pid: child.pid as number, startMs, stop: () => stopChild(child) };
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once("exit", () => done());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 5000).unref();
  });
}

function fetchBytes(url: string): Promise<{ bytes: number; ms: number }> {
  const t0 = performance.now();
  return new Promise((ok, fail) => {
    request(url, (res) => {
      let bytes = 0;
      res.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on("end", () => ok({ bytes, ms: performance.now() - t0 }));
      res.on("error", fail);
    })
      .on("error", fail)
      .end();
  });
}

export async function runHypertune(
  browser: Browser,
  stateRoot: string,
  job: string,
  opts: { reps: number; filters: string[]; reportPath?: string; log: (line: string) => void },
): Promise<HypertuneResult> {
  const pageErrors: string[] = [];
  const newPage = async () => {
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await preparePage(page);
    return { page, close: () => context.close() };
  };
  const reps: HypertuneRep[] = [];
  let api = { bytes: 0, ms: 0 };
  for (let r = 0; r < opts.reps; r++) {
    const served = await serve(stateRoot);
    try {
      const jobUrl = `${served.url}#/job/${encodeURIComponent(job)}`;
      const first = await newPage();
      const cold = await timeOpen(first.page, jobUrl);
      const rssAfterOpenBytes = residentBytes(served.pid);
      const filters: FilterTiming[] = [];
      for (const text of opts.filters) {
        filters.push(await timeFilter(first.page, text));
        await timeFilter(first.page, "");
      }
      await first.close();
      const second = await newPage();
      const ready = await timeOpen(second.page, jobUrl);
      await second.close();
      if (r === 0) api = await fetchBytes(`${served.url}api/job?id=${encodeURIComponent(job)}`);
      const rep: HypertuneRep = {
        startMs: served.startMs,
        cold,
        ready,
        filters,
        rssAfterOpenBytes,
        rssAfterCachedBytes: residentBytes(served.pid),
        peakRssBytes: peakResidentBytes(served.pid),
      };
      reps.push(rep);
      opts.log(
        `hypertune rep ${r + 1}: cold ${cold.paintedMs.toFixed(0)} ms (script after ${cold.bootMs.toFixed(0)} ms), ready ${ready.paintedMs.toFixed(0)} ms, filter ${filters.map((f) => f.drawnMs.toFixed(0)).join("/")} ms`,
      );
    } finally {
      await served.stop();
    }
  }

  const result = { reps, apiJobBytes: api.bytes, apiJobMs: api.ms, pageErrors };
  if (!opts.reportPath) return result;
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI, "report", join(stateRoot, job), "--out", opts.reportPath], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr.on("data", (c: Buffer) => {
    err += String(c);
  });
  const code = await new Promise<number | null>((done) => child.once("exit", done));
  if (code !== 0) throw new Error(`hypertune report exited ${code}: ${err}`);
  const writeMs = performance.now() - t0;
  const bytes = statSync(opts.reportPath).size;
  const opens: OpenTiming[] = [];
  const reportFilters: FilterTiming[] = [];
  const reportUrl = `${pathToFileURL(opts.reportPath).href}#/job/${encodeURIComponent(job)}`;
  for (let r = 0; r < opts.reps; r++) {
    const p = await newPage();
    opens.push(await timeOpen(p.page, reportUrl));
    if (r === 0) for (const text of opts.filters) reportFilters.push(await timeFilter(p.page, text));
    await p.close();
  }
  opts.log(
    `report: ${(bytes / 1e6).toFixed(1)} MB in ${writeMs.toFixed(0)} ms, opens ${opens.map((o) => o.paintedMs.toFixed(0)).join("/")} ms`,
  );
  return { ...result, report: { writeMs, bytes, opens, filters: reportFilters } };
}
