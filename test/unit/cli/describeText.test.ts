import { describe, expect, test } from "vitest";
import { formatDescribe } from "../../../src/cli/cluster/describeText.js";
import { eventLines } from "../../../src/cli/cluster/eventLines.js";
import { formatSummary, type RunOutcome } from "../../../src/local/index.js";
import type { LocalTrial } from "../../../src/local/types.js";
import { event, multiObjectiveJob, NOW, singleObjectiveJob, storedTrial, trials } from "./fixtures.js";

const describeText = (
  job = singleObjectiveJob(),
  extra: Partial<Parameters<typeof formatDescribe>[0]> = {},
) =>
  formatDescribe({
    job,
    trials: { items: trials },
    events: { items: [event("Started", "started 2 trials", 4, 4)] },
    nowMs: NOW,
    top: 10,
    ...extra,
  });

describe("hypertune describe: the job's state", () => {
  test("kubectl describe's Key: value header, with the condition's reason and what Auto chose", () => {
    const header = describeText().split("\n\n")[0];
    expect(header).toBe(
      [
        "Name:       quick",
        "Namespace:  team-a",
        "Created:    2026-01-10T11:55:00Z (5m ago)",
        "Phase:      Running",
        "Reason:     TrialsRunning",
        "Message:    3/6 trials finished, best accuracy=0.95 (trial 2)",
        "Objective:  accuracy (Maximize)",
        "Strategy:   Auto → TPE (seed 7)",
        "Trials:     3/6 finished (2 succeeded, 1 failed), 1 active",
        "Started:    2026-01-10T11:56:00Z (4m ago)",
      ].join("\n"),
    );
  });

  test("a job the operator has not seen says so", () => {
    const job = { metadata: { name: "new", namespace: "team-a" }, spec: { limits: { maxTrials: 4 } } };
    const text = describeText(job, { events: { items: [] } });
    expect(text).toContain("Phase:      <none> (not reconciled yet");
    expect(text).toContain("Trials:     0/4 finished");
    expect(text).toContain("Events:  <none>");
  });

  test("the best trial and the top trials from the Trial objects; unfinished trials keep their phase", () => {
    const text = describeText();
    expect(text).toContain("\nbest: trial 2 accuracy=0.95 {lr: 0.01, hidden: 128}\n");
    const rows = text.split("\n").filter((l) => /^\s+\d+\s/.test(l));
    expect(rows.map((r) => r.trim().split(/\s+/).slice(0, 3))).toEqual([
      ["2", "0.95", "Succeeded"],
      ["0", "0.9123", "Succeeded"],
      ["1", "-", "Failed"],
      ["3", "-", "Running"],
    ]);
  });

  test("more trials than --top point at kubectl get trials", () => {
    expect(describeText(undefined, { top: 2 })).toContain(
      "… 2 more; all of them with kubectl get trials -n team-a -l hypertune.dev/job=quick",
    );
  });

  test("several objectives: the Pareto front from the status, with its hypervolume", () => {
    const text = describeText(multiObjectiveJob());
    expect(text).toContain("Objectives:  accuracy (Maximize), loss (Minimize)");
    expect(text).toContain(
      "Pareto front (accuracy Maximize, loss Minimize): 2 non-dominated trial(s), hypervolume 0.1235",
    );
    expect(text).toMatch(/trial\s+accuracy \(Maximize\)\s+loss \(Minimize\)\s+lr\s+hidden/);
    expect(text).not.toContain("best: trial");
  });

  test("Trials or Events that may not be read become a line; the rest is shown", () => {
    const text = describeText(undefined, {
      trials: { error: "forbidden: list trials" },
      events: { error: "forbidden: list events" },
    });
    expect(text).toContain("best: trial 2");
    expect(text).toContain("Top trials not shown: forbidden: list trials");
    expect(text).toContain("Events:  not shown: forbidden: list events");
  });
});

describe("hypertune describe: the results in the local run's words", () => {
  test("the same best line and table as hypertune run's summary for the same trials", () => {
    const finished = trials.filter((t) => t.status?.phase !== "Running");
    const local: LocalTrial[] = finished.map((t) => ({
      index: t.spec?.index ?? 0,
      parameters: t.spec?.parameters ?? {},
      phase: t.status?.phase ?? "Pending",
      history: [],
      ...(t.status?.metrics && { metrics: t.status.metrics }),
      createdAt: 0,
    }));
    const best = singleObjectiveJob().status?.bestTrial;
    const outcome: RunOutcome = {
      status: "Succeeded",
      name: "quick",
      file: "/jobs/job.yaml",
      stateDir: "/jobs/.hypertune/quick",
      seed: 7,
      strategy: "TPE",
      reason: "MaxTrialsReached",
      message: "done",
      ...(best && { best: { ...best, objectiveValue: best.objectiveValue ?? 0 } }),
      trials: local,
      objectiveName: "accuracy",
      objectiveDirection: "Maximize",
      objectives: [{ name: "accuracy", direction: "Maximize" }],
      elapsedMs: 1000,
    };
    // The local summary: outcome line, results, blank line, state line. The results are what describe shares.
    const summary = formatSummary(outcome).split("\n");
    const shared = summary.slice(1, summary.findIndex((l) => l.startsWith("state:")) - 1);
    expect(shared[0]).toMatch(/^best: trial 2/);
    expect(shared).toHaveLength(6);
    expect(describeText(undefined, { trials: { items: finished } })).toContain(shared.join("\n"));
  });

  test("the Pareto front block is the local summary's", () => {
    const job = multiObjectiveJob();
    const front = job.status?.paretoFront ?? [];
    const outcome = {
      status: "Succeeded",
      name: "mo",
      file: "/jobs/job.yaml",
      stateDir: "/jobs/.hypertune/mo",
      seed: 7,
      strategy: "NSGA2",
      reason: "MaxTrialsReached",
      message: "done",
      paretoFront: front.map((t) => ({ ...t, objectiveValue: t.metrics.accuracy ?? 0 })),
      hypervolume: job.status?.paretoHypervolume,
      trials: [],
      objectiveName: "accuracy",
      objectiveDirection: "Maximize",
      objectives: [
        { name: "accuracy", direction: "Maximize" },
        { name: "loss", direction: "Minimize" },
      ],
      elapsedMs: 1000,
    } satisfies RunOutcome;
    const summary = formatSummary(outcome);
    const block = summary.slice(summary.indexOf("Pareto front"), summary.indexOf("\n\nstate:"));
    expect(block.split("\n")).toHaveLength(5);
    expect(describeText(job)).toContain(block);
  });
});

describe("hypertune describe: the Events section", () => {
  test("kubectl describe's columns, newest last, repeats as (xN over …)", () => {
    const lines = eventLines(
      [
        event("Completed", "all 6 trials finished", 1, 1),
        event("Started", "started 2 trials", 5, 5),
        event("SpecChanged", "limits.maxTrials 4 → 6", 4, 2, 3),
      ],
      NOW,
    );
    expect(lines).toEqual([
      "Events:",
      "  Type    Reason       Age              From                Message",
      "  ----    ------       ----             ----                -------",
      "  Normal  Started      5m               hypertune-operator  started 2 trials",
      "  Normal  SpecChanged  2m (x3 over 4m)  hypertune-operator  limits.maxTrials 4 → 6",
      "  Normal  Completed    60s              hypertune-operator  all 6 trials finished",
    ]);
  });

  test("seen last in the same second: the one first seen earlier goes first", () => {
    const lines = eventLines([event("Completed", "done", 1, 1), event("Started", "go", 2, 1, 2)], NOW);
    expect(lines.slice(3).map((l) => l.trim().split(/\s+/)[1])).toEqual(["Started", "Completed"]);
  });

  test("first and last seen in the same second: the one written first (lower resourceVersion) goes first", () => {
    const written = (e: ReturnType<typeof event>, resourceVersion: string) => ({
      ...e,
      metadata: { resourceVersion },
    });
    const lines = eventLines(
      [written(event("Completed", "done", 1, 1), "1200"), written(event("Started", "go", 1, 1), "987")],
      NOW,
    );
    expect(lines.slice(3).map((l) => l.trim().split(/\s+/)[1])).toEqual(["Started", "Completed"]);
  });

  test("no events: <none>", () => {
    expect(eventLines([], NOW)).toEqual(["Events:  <none>"]);
  });
});

// The local summary says Interrupted (the session is over); in the cluster the trial is still going.
test("an unfinished trial keeps its cluster phase", () => {
  const text = describeText(undefined, {
    trials: { items: [storedTrial(5, "Pending", undefined, { lr: 1 })] },
  });
  expect(text).toMatch(/\n\s+5\s+-\s+Pending\s+1\n/);
});
