import { describe, expect, test } from "vitest";
import { formatSummary, type RunOutcome, resultJson } from "../../../src/local/index.js";
import type { LocalTrial } from "../../../src/local/types.js";

const trial = (index: number, x: number, accuracy: number, latency: number): LocalTrial => ({
  index,
  parameters: { x },
  phase: "Succeeded",
  history: [],
  metrics: { accuracy, latency },
  createdAt: 0,
});
const ranked = (t: LocalTrial) => ({
  index: t.index,
  parameters: t.parameters,
  metrics: t.metrics ?? {},
  objectiveValue: t.metrics?.accuracy ?? 0,
});

// Trial 1 is dominated by trial 0 (worse on both); 0 and 2 trade accuracy for latency.
const trials = [trial(0, 0.1, 0.9, 10), trial(1, 0.2, 0.8, 12), trial(2, 0.3, 0.95, 30)];
const base: RunOutcome = {
  status: "Succeeded",
  name: "mo",
  file: "/jobs/job.yaml",
  stateDir: "/jobs/.hypertune/mo",
  seed: 1,
  strategy: "TPE",
  reason: "MaxTrialsReached",
  message: "done",
  best: ranked(trials[2] as LocalTrial),
  trials,
  objectiveName: "accuracy",
  objectiveDirection: "Maximize",
  objectives: [{ name: "accuracy", direction: "Maximize" }],
  elapsedMs: 1000,
};
const multi: RunOutcome = {
  ...base,
  objectives: [
    { name: "accuracy", direction: "Maximize" },
    { name: "latency", direction: "Minimize" },
  ],
  paretoFront: [ranked(trials[2] as LocalTrial), ranked(trials[0] as LocalTrial)],
  hypervolume: 1.25,
};

describe("run output with several objectives", () => {
  test("the JSON has the Pareto front, entries shaped as bestTrial, and its hypervolume", () => {
    const json = resultJson(multi);
    expect(json.paretoFront).toEqual([
      { name: "mo-2", index: 2, parameters: { x: 0.3 }, metrics: { accuracy: 0.95, latency: 30 } },
      { name: "mo-0", index: 0, parameters: { x: 0.1 }, metrics: { accuracy: 0.9, latency: 10 } },
    ]);
    expect(Object.keys(json.paretoFront?.[0] ?? {})).toEqual(Object.keys(json.bestTrial ?? {}));
    expect(json.paretoHypervolume).toBe(1.25);
  });

  test("the text shows the front with each objective's value and direction, not a ranking by the first", () => {
    const text = formatSummary(multi);
    expect(text).toContain("Pareto front (accuracy Maximize, latency Minimize): 2 non-dominated trial(s)");
    expect(text).toContain("hypervolume 1.25");
    const rows = text.split("\n").filter((l) => /^\s*\d+\s/.test(l));
    expect(rows.map((r) => r.trim().split(/\s+/).slice(0, 3))).toEqual([
      ["2", "0.95", "30"],
      ["0", "0.9", "10"],
    ]);
    expect(text).toMatch(/trial\s+accuracy \(Maximize\)\s+latency \(Minimize\)\s+x/);
    expect(text).not.toMatch(/^\s*1\s/m);
    expect(text).not.toContain("best: trial");
  });

  test("an empty front says so", () => {
    expect(formatSummary({ ...multi, paretoFront: [] })).toContain("Pareto front");
    expect(resultJson({ ...multi, paretoFront: undefined }).paretoFront).toEqual([]);
  });
});

describe("run output with one objective stays as it was", () => {
  test("no Pareto keys in the JSON; best line and ranked table in the text", () => {
    const json = resultJson(base);
    expect(json).not.toHaveProperty("paretoFront");
    expect(json).not.toHaveProperty("paretoHypervolume");
    const text = formatSummary(base);
    expect(text).toContain("best: trial 2 accuracy=0.95 {x: 0.3}");
    expect(text).toMatch(/trial\s+accuracy\s+phase\s+x/);
    expect(text).not.toContain("Pareto");
  });
});
