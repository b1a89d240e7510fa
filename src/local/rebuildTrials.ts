/**
 * Rebuilds the trials of a job from `trials.jsonl`. Finished trials are kept
 * as they were; trials that had started but not finished when the runner
 * stopped are returned separately so the runner re-runs them under the same
 * index and attempt (the attempt's partial reports are dropped: the re-run
 * starts it over; what earlier, preempted attempts reported is kept).
 */
import { readFileSync } from "node:fs";
import type { MetricReport, ParameterValues } from "../api/index.js";
import { mergeAttemptHistory } from "../engine/index.js";
import { DEFAULT_HISTORY_LIMIT } from "../metrics/accumulator.js";
import type { LocalTrial, TrialEvent } from "./types.js";

export interface RebuiltState {
  finished: LocalTrial[];
  /** `pid` is the process group of the attempt that was cut off, if it was recorded. */
  interrupted: {
    index: number;
    parameters: ParameterValues;
    attempt: number;
    /** What the trial's earlier, preempted attempts reported, merged. */
    earlierHistory: MetricReport[];
    pid?: number;
  }[];
  /** The same trials with what they reported so far, for readers of a job that is still running. */
  unfinished: LocalTrial[];
  /** spec.trialRetention's steps, in order, for the runner to replay (engine/retention.ts `withRetired`). */
  retirements: { below: number; kept: number[]; indices: number[] }[];
  /** Wall time the job already ran in earlier sessions, so maxDuration counts running time only. */
  previousElapsedMs: number;
  /** How the last session ended, when an `ended` event is the last one (absent while running or after kill -9). */
  endedStatus?: string;
  /** Lines that could not be read (only ever the last one after a crash, in practice). */
  skippedLines: number;
}

/**
 * A report line as the runner writes it (`{ event, at, index, ...}`, see
 * runner.ts), known by its start so that it can wait unparsed: most belong to
 * attempts whose finished event repeats the whole history, and parsing them
 * would be most of the cost of reading a large log for nothing.
 */
const REPORT_LINE = /^\{"event":"report","at":\d+,"index":(\d+),/;

/**
 * The events of `trials.jsonl` that can change the rebuilt state: report
 * lines of an attempt that a later `started` replaced, or that finished with
 * its history, are left out without being parsed (so a damaged one among
 * them is not counted in `skippedLines`). Any line not in the runner's report
 * form is parsed, so the shortcut never changes what is rebuilt.
 */
export function readTrialEvents(path: string): { events: TrialEvent[]; skippedLines: number } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { events: [], skippedLines: 0 };
    throw err;
  }
  const slots: (TrialEvent | undefined)[] = [];
  /** Per trial, the unparsed reports of its latest attempt, with their place in `slots`. */
  const waiting = new Map<number, { line: string; slot: number }[]>();
  let skippedLines = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const report = REPORT_LINE.exec(line);
    if (report) {
      const index = Number(report[1]);
      const reports = waiting.get(index) ?? [];
      reports.push({ line, slot: slots.push(undefined) - 1 });
      waiting.set(index, reports);
      continue;
    }
    const event = parseEvent(line);
    if (!event) {
      skippedLines++;
      continue;
    }
    if (
      event.event === "started" ||
      event.event === "preempted" ||
      (event.event === "finished" && event.history)
    )
      waiting.delete(event.index);
    slots.push(event);
  }
  // What still waits matters: the attempt runs, or it finished without its history (older logs).
  for (const reports of waiting.values())
    for (const { line, slot } of reports) {
      slots[slot] = parseEvent(line);
      if (!slots[slot]) skippedLines++;
    }
  return { events: slots.filter((e) => e !== undefined), skippedLines };
}

function parseEvent(line: string): TrialEvent | undefined {
  try {
    const event = JSON.parse(line) as TrialEvent;
    return typeof event === "object" && event !== null && typeof event.event === "string" ? event : undefined;
  } catch {
    return undefined;
  }
}

export function rebuildTrials(events: readonly TrialEvent[]): Omit<RebuiltState, "skippedLines"> {
  const trials = new Map<number, LocalTrial>();
  const pids = new Map<number, number>();
  /** Per unfinished trial, its attempt and the earlier attempts' merged reports. */
  const attempts = new Map<number, { attempt: number; earlierHistory: MetricReport[] }>();
  const retirements: RebuiltState["retirements"] = [];
  let previousElapsedMs = 0;
  let sessionStart: number | undefined;
  let lastAt: number | undefined;
  for (const e of events) {
    if (e.event === "session") {
      if (sessionStart !== undefined && lastAt !== undefined) previousElapsedMs += lastAt - sessionStart;
      sessionStart = e.at;
    }
    lastAt = e.at;
    switch (e.event) {
      case "retired":
        retirements.push({ below: e.below, kept: e.kept, indices: e.indices });
        break;
      case "preempted":
        attempts.set(e.index, { attempt: e.attempt + 1, earlierHistory: e.history });
        break;
      case "started": {
        const attempt = e.attempt ?? 1;
        const earlier = attempt > 1 ? attempts.get(e.index) : undefined;
        const earlierHistory = earlier?.attempt === attempt ? earlier.earlierHistory : [];
        attempts.set(e.index, { attempt, earlierHistory });
        trials.set(e.index, {
          index: e.index,
          parameters: e.parameters,
          phase: "Running",
          history: [],
          createdAt: e.at,
          // A later attempt's GPU time counts from the first attempt's start.
          startedAt: (attempt > 1 && trials.get(e.index)?.startedAt) || e.at,
        });
        if (e.pid === undefined) pids.delete(e.index);
        else pids.set(e.index, e.pid);
        break;
      }
      case "report": {
        const trial = trials.get(e.index);
        if (trial?.phase !== "Running") break;
        trial.history.push(e.step === undefined ? { values: e.values } : { step: e.step, values: e.values });
        // Only state folders of older versions need these: a finished event now carries its history.
        if (trial.history.length > DEFAULT_HISTORY_LIMIT) trial.history.shift();
        break;
      }
      case "finished": {
        const trial = trials.get(e.index);
        if (!trial) break;
        trial.phase = e.phase;
        trial.metrics = e.metrics;
        if (e.history) trial.history = e.history;
        trial.finishedAt = e.at;
        if (e.reason !== undefined) trial.reason = e.reason;
        if (e.message !== undefined) trial.message = e.message;
        break;
      }
    }
  }
  if (sessionStart !== undefined && lastAt !== undefined) previousElapsedMs += lastAt - sessionStart;
  const last = events.at(-1);
  const all = [...trials.values()].sort((a, b) => a.index - b.index);
  const running = all.filter((t) => t.phase === "Running");
  const attemptOf = (index: number) => attempts.get(index) ?? { attempt: 1, earlierHistory: [] };
  return {
    finished: all.filter((t) => t.phase !== "Running"),
    interrupted: running.map(({ index, parameters }) => {
      const pid = pids.get(index);
      return { index, parameters, ...attemptOf(index), ...(pid !== undefined && { pid }) };
    }),
    unfinished: running.map((t) => ({
      ...t,
      history: mergeAttemptHistory(attemptOf(t.index).earlierHistory, t.history),
    })),
    retirements,
    previousElapsedMs,
    ...(last?.event === "ended" && { endedStatus: last.status }),
  };
}

export function readRebuiltState(eventsPath: string): RebuiltState {
  const { events, skippedLines } = readTrialEvents(eventsPath);
  return { ...rebuildTrials(events), skippedLines };
}
