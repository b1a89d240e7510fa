/**
 * Progress for a terminal: finished trials scroll by as lines, and below them
 * a small block (counts, best so far, running trials, elapsed, ETA) is redrawn
 * in place.
 */
import type { Plan } from "../../engine/index.js";
import type { RunInfo, RunReporter } from "../reporter.js";
import type { LocalTrial } from "../types.js";
import { formatElapsed, formatMetrics, formatNumber, formatParameters } from "./format.js";
import { beginLines, finishedLine, preemptedLine, suspendedLine } from "./trialLines.js";

const REDRAW_MS = 100;
const RUNNING_SHOWN = 6;

export interface TerminalStream {
  write(text: string): boolean;
  columns?: number;
}

export function liveProgress(out: TerminalStream): RunReporter {
  let info: RunInfo | undefined;
  let plan: Plan | undefined;
  const running = new Map<number, LocalTrial>();
  let finishedThisSession = 0;
  let drawnLines = 0;
  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let ticker: NodeJS.Timeout | undefined;
  let stopping = "";

  // Some pseudo-terminals report 0 columns; assume a usual width then.
  const width = () => (out.columns && out.columns >= 20 ? out.columns : 100) - 1;
  const clip = (line: string) => (line.length > width() ? `${line.slice(0, width() - 1)}…` : line);

  function block(): string[] {
    if (!info) return [];
    const counts = plan?.counts;
    const done = counts ? counts.created - counts.active : 0;
    const elapsedMs = Date.now() - info.startedAt;
    const parts = [`${done}/${info.maxTrials} done`, `${running.size} running`];
    if (counts?.failed) parts.push(`${counts.failed} failed`);
    if (counts?.earlyStopped) parts.push(`${counts.earlyStopped} stopped early`);
    let status = `${info.name}: ${parts.join(" · ")} · elapsed ${formatElapsed(info.previousElapsedMs + elapsedMs)}`;
    const newlyDone = finishedThisSession;
    if (newlyDone > 0 && done < info.maxTrials) {
      const eta = ((info.maxTrials - done) * elapsedMs) / newlyDone;
      status += ` · ETA ~${formatElapsed(eta)}`;
    }
    const lines = [status];
    const best = plan?.best;
    lines.push(
      best
        ? `  best: trial ${best.index} ${info.objectiveName}=${formatNumber(best.objectiveValue)} ${formatParameters(best.parameters)}`
        : "  best: none yet",
    );
    const shown = [...running.values()].slice(0, RUNNING_SHOWN);
    for (const t of shown) {
      const last = t.history.at(-1);
      const progress = last
        ? ` ${last.step !== undefined ? `step ${last.step} ` : ""}${formatMetrics(last.values, info.objectiveName)}`
        : "";
      lines.push(`  trial ${t.index}:${progress || " starting"}`);
    }
    if (running.size > shown.length) lines.push(`  … and ${running.size - shown.length} more running`);
    if (stopping) lines.push(stopping);
    return lines.map(clip);
  }

  function redraw(): void {
    timer = undefined;
    let text = drawnLines > 0 ? `\x1b[${drawnLines}A\r\x1b[J` : "";
    for (const line of pending) text += `${line}\n`;
    pending = [];
    const lines = block();
    for (const line of lines) text += `${line}\n`;
    drawnLines = lines.length;
    out.write(text);
  }

  const soon = () => {
    timer ??= setTimeout(redraw, REDRAW_MS);
  };

  return {
    begin(i) {
      info = i;
      pending.push(...beginLines(i));
      ticker = setInterval(soon, 1000);
      ticker.unref();
      redraw();
    },
    trialStarted(trial) {
      running.set(trial.index, trial);
      soon();
    },
    trialReported: soon,
    trialPreempted(trial, context) {
      pending.push(preemptedLine(trial, context));
      soon();
    },
    trialFinished(trial, context) {
      running.delete(trial.index);
      finishedThisSession++;
      pending.push(finishedLine(trial, context, info?.objectiveName ?? ""));
      soon();
    },
    planned(p) {
      plan = p;
    },
    suspended(context) {
      pending.push(suspendedLine(context));
      soon();
    },
    interrupting({ running: n, force }) {
      stopping = force ? `  killing ${n} trial(s)` : `  stopping ${n} trial(s)… (Ctrl-C again to kill them)`;
      redraw();
    },
    end() {
      // The summary that follows replaces the live block.
      clearTimeout(timer);
      clearInterval(ticker);
      info = undefined;
      redraw();
    },
  };
}
