import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { TrialEventLog } from "../../../src/local/eventLog.js";
import { readRebuiltState, rebuildTrials } from "../../../src/local/rebuildTrials.js";
import type { TrialEvent } from "../../../src/local/types.js";

const events: TrialEvent[] = [
  { event: "session", at: 1_000, resumed: false },
  { event: "started", at: 1_000, index: 0, parameters: { x: 0.1 } },
  { event: "started", at: 1_010, index: 1, parameters: { x: 0.2 } },
  { event: "report", at: 1_020, index: 0, step: 1, values: { score: 0.5 } },
  { event: "report", at: 1_030, index: 1, step: 1, values: { score: 0.7 } },
  {
    event: "finished",
    at: 1_100,
    index: 0,
    phase: "Succeeded",
    metrics: { score: 0.5 },
    reason: "Completed",
  },
];

describe("rebuilding trials from the event log", () => {
  test("finished trials are kept with their history; running ones come back as interrupted", () => {
    const rebuilt = rebuildTrials(events);
    expect(rebuilt.finished).toHaveLength(1);
    expect(rebuilt.finished[0]).toMatchObject({ index: 0, phase: "Succeeded", metrics: { score: 0.5 } });
    expect(rebuilt.finished[0]?.history).toEqual([{ step: 1, values: { score: 0.5 } }]);
    expect(rebuilt.interrupted).toEqual([
      { index: 1, parameters: { x: 0.2 }, attempt: 1, earlierHistory: [] },
    ]);
    expect(rebuilt.previousElapsedMs).toBe(100);
  });

  test("a re-run after a resume replaces the interrupted attempt; elapsed time sums over sessions", () => {
    const rebuilt = rebuildTrials([
      ...events,
      { event: "session", at: 50_000, resumed: true },
      { event: "started", at: 50_000, index: 1, parameters: { x: 0.2 } },
      { event: "finished", at: 50_300, index: 1, phase: "Succeeded", metrics: { score: 0.9 } },
    ]);
    expect(rebuilt.interrupted).toEqual([]);
    expect(rebuilt.finished.map((t) => [t.index, t.metrics?.score, t.history.length])).toEqual([
      [0, 0.5, 1],
      [1, 0.9, 0],
    ]);
    expect(rebuilt.previousElapsedMs).toBe(400);
  });

  test("a preempted attempt's reports carry over: an interrupted later attempt re-runs as itself, with them", () => {
    const earlier = [
      { step: 1, values: { score: 0.1 } },
      { step: 2, values: { score: 0.2 } },
    ];
    const rebuilt = rebuildTrials([
      { event: "session", at: 1_000, resumed: false },
      { event: "started", at: 1_000, index: 0, parameters: { x: 0.1 } },
      { event: "report", at: 1_010, index: 0, step: 1, values: { score: 0.1 } },
      { event: "report", at: 1_020, index: 0, step: 2, values: { score: 0.2 } },
      {
        event: "preempted",
        at: 1_030,
        index: 0,
        attempt: 1,
        reason: "SIGTERM",
        message: "m",
        history: earlier,
      },
      { event: "started", at: 1_040, index: 0, parameters: { x: 0.1 }, attempt: 2 },
      { event: "report", at: 1_050, index: 0, step: 2, values: { score: 0.25 } },
    ]);
    expect(rebuilt.interrupted).toEqual([
      { index: 0, parameters: { x: 0.1 }, attempt: 2, earlierHistory: earlier },
    ]);
    // Readers see one trial: the resumed attempt's step 2 replaces the earlier one.
    expect(rebuilt.unfinished[0]?.history).toEqual([
      { step: 1, values: { score: 0.1 } },
      { step: 2, values: { score: 0.25 } },
    ]);
    // Cut off between the preemption and the next start, it runs as the next attempt.
    const cut = rebuildTrials([
      { event: "started", at: 1_000, index: 0, parameters: { x: 0.1 } },
      {
        event: "preempted",
        at: 1_030,
        index: 0,
        attempt: 1,
        reason: "SIGTERM",
        message: "m",
        history: earlier,
      },
    ]);
    expect(cut.interrupted).toMatchObject([{ index: 0, attempt: 2, earlierHistory: earlier }]);
  });

  test("a line cut short by a crash is skipped when reading and cut off before the next append", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "hypertune-log-")), "trials.jsonl");
    writeFileSync(path, "");
    const log = new TrialEventLog(path);
    for (const e of events) log.append(e);
    await log.close();
    appendFileSync(path, '{"event":"finished","at":1200,"index":1,"pha');
    expect(readRebuiltState(path)).toMatchObject({ skippedLines: 1, interrupted: [{ index: 1 }] });

    const again = new TrialEventLog(path);
    again.append({ event: "session", at: 2_000, resumed: true });
    await again.close();
    const lines = readFileSync(path, "utf8").trim().split("\n");
    expect(lines).toHaveLength(events.length + 1);
    expect(readRebuiltState(path).skippedLines).toBe(0);
  });

  test("reading the log leaves out only the reports that a later event makes moot, and gets the same state", () => {
    const path = join(mkdtempSync(join(tmpdir(), "hypertune-log-")), "trials.jsonl");
    const lines: TrialEvent[] = [
      { event: "session", at: 1, resumed: false },
      { event: "started", at: 1, index: 0, parameters: { x: 1 } },
      { event: "started", at: 1, index: 1, parameters: { x: 2 } },
      { event: "started", at: 1, index: 2, parameters: { x: 3 } },
      { event: "report", at: 2, index: 0, step: 1, values: { y: 9 } },
      { event: "report", at: 2, index: 1, step: 1, values: { y: 8 } },
      { event: "report", at: 2, index: 2, step: 1, values: { y: 7 } },
      // Finished with its history: the report above is moot.
      {
        event: "finished",
        at: 3,
        index: 0,
        phase: "Succeeded",
        metrics: { y: 5 },
        history: [{ step: 1, values: { y: 5 } }],
      },
      // Finished without a history (older runners): the report is the history.
      { event: "finished", at: 3, index: 1, phase: "Succeeded", metrics: { y: 8 } },
      { event: "report", at: 4, index: 2, step: 2, values: { y: 6 } },
    ];
    writeFileSync(
      path,
      `${lines.map((e) => JSON.stringify(e)).join("\n")}\n{"event":"report","at":5,"index":2,"st\n`,
    );
    const read = readRebuiltState(path);
    expect(read.skippedLines).toBe(1);
    const { skippedLines: _, ...state } = read;
    expect(state).toEqual(rebuildTrials(lines));
    expect(read.finished.map((t) => t.history)).toEqual([
      [{ step: 1, values: { y: 5 } }],
      [{ step: 1, values: { y: 8 } }],
    ]);
    expect(read.unfinished[0]?.history).toEqual([
      { step: 1, values: { y: 7 } },
      { step: 2, values: { y: 6 } },
    ]);
    // The moot report of trial 0 was not read: damaging it changes nothing.
    writeFileSync(
      path,
      readFileSync(path, "utf8").replace('"index":0,"step":1,"values":{"y":9}', '"index":0,"step":1,"val'),
    );
    expect(readRebuiltState(path)).toEqual(read);
  });
});
