import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TrialObservation } from "../../../src/api/index.js";
import { plan } from "../../../src/engine/index.js";
import { simulate, specWith, succeedWith } from "../../support/simulate.js";

describe("plan: budget and parallelism", () => {
  it("never has more than parallelism trials active nor creates more than maxTrials (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.constantFrom("Succeeded", "Failed", "Running", "Pending", "MetricsUnavailable"), {
          maxLength: 40,
        }),
        (maxTrials, parallelismWish, phases) => {
          const parallelism = Math.min(parallelismWish, maxTrials);
          const spec = specWith({ limits: { maxTrials, parallelism, maxFailedTrials: 1000 } });
          const trials: TrialObservation[] = phases.slice(0, maxTrials).map((phase, index) => ({
            index,
            parameters: {},
            phase: phase as TrialObservation["phase"],
            history: phase === "Succeeded" ? [{ values: { accuracy: index / 100 } }] : [],
            createdAt: 0,
          }));
          const result = plan(spec, trials, 1000, 0);
          const active = trials.filter((t) => t.phase === "Running" || t.phase === "Pending").length;
          expect(active + result.create.length).toBeLessThanOrEqual(Math.max(parallelism, active));
          expect(trials.length + result.create.length).toBeLessThanOrEqual(maxTrials);
          const indices = result.create.map((c) => c.index);
          expect(new Set([...trials.map((t) => t.index), ...indices]).size).toBe(
            trials.length + indices.length,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("runs exactly maxTrials trials, never above parallelism at once, then completes", () => {
    const spec = specWith({ limits: { maxTrials: 9, parallelism: 3 } });
    const { plans, trials, final } = simulate(spec, (_p, i) => succeedWith(0.5 + i / 100));
    expect(trials.map((t) => t.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Math.max(...plans.map((p) => p.counts.active + p.create.length))).toBe(3);
    expect(final.completion).toMatchObject({ reason: "MaxTrialsReached", succeeded: true });
    expect(final.best?.index).toBe(8);
  });

  it("creates nothing while suspended and resumes when unsuspended", () => {
    const suspended = specWith({ suspend: true });
    expect(plan(suspended, [], 0).create).toEqual([]);
    expect(plan(specWith(), [], 0).create).toHaveLength(2);
  });
});

describe("plan: completion criteria", () => {
  it("completes with TargetReached and stops the trials still running", () => {
    const spec = specWith({ objective: { metric: "accuracy", direction: "Maximize", target: 0.9 } });
    const { final, trials } = simulate(spec, (_p, i) => succeedWith(i === 3 ? 0.95 : 0.5));
    expect(final.completion).toMatchObject({ reason: "TargetReached", succeeded: true });
    expect(final.best?.index).toBe(3);
    const running = trials.filter((t) => t.phase === "Running").map((t) => t.index);
    expect(final.stop.map((s) => s.index)).toEqual(running);
    expect(final.stop.every((s) => s.reason === "JobFinished")).toBe(true);
  });

  it("fails with MaxFailedTrialsExceeded once more trials failed than allowed", () => {
    const spec = specWith({ limits: { maxTrials: 20, parallelism: 2, maxFailedTrials: 2 } });
    const { final, trials } = simulate(spec, () => ({ ok: false, reports: [] }));
    expect(final.completion).toMatchObject({ reason: "MaxFailedTrialsExceeded", succeeded: false });
    expect(trials.filter((t) => t.phase === "Failed")).toHaveLength(3);
  });

  it("counts trials that never reported the objective as failures", () => {
    const spec = specWith({ limits: { maxTrials: 20, parallelism: 1, maxFailedTrials: 1 } });
    const { final, trials } = simulate(spec, () => ({ ok: true, reports: [{ values: { loss: 1 } }] }));
    expect(final.completion?.reason).toBe("MaxFailedTrialsExceeded");
    expect(trials.map((t) => t.phase)).toEqual(["MetricsUnavailable", "MetricsUnavailable"]);
  });

  it("completes with MaxDurationReached when the budget of time is spent", () => {
    const spec = specWith({ limits: { maxTrials: 100, parallelism: 1, maxDuration: "5s" } });
    const { final, trials } = simulate(spec, () => succeedWith(0.5));
    expect(final.completion?.reason).toBe("MaxDurationReached");
    expect(trials.length).toBeLessThan(10);
  });

  it("completes with NoImprovement after that many finished trials without a better result", () => {
    const spec = specWith({ limits: { maxTrials: 50, parallelism: 1, stopAfterNoImprovement: 4 } });
    const { final, trials } = simulate(spec, (_p, i) => succeedWith(i === 2 ? 0.9 : 0.1));
    expect(final.completion?.reason).toBe("NoImprovement");
    expect(trials.filter((t) => t.phase !== "Running")).toHaveLength(7);
  });

  it("completes with SearchSpaceExhausted when a grid is smaller than maxTrials", () => {
    const spec = specWith({
      parameters: [
        { name: "a", type: "Categorical", values: ["x", "y"] },
        { name: "b", type: "Int", min: 1, max: 3 },
      ],
      search: { strategy: "Grid" },
      trialTemplate: { job: { template: { spec: { containers: [{ name: "train", command: ["true"] }] } } } },
      limits: { maxTrials: 20, parallelism: 4 },
    });
    const { final, trials } = simulate(spec, () => succeedWith(0.5));
    expect(final.completion?.reason).toBe("SearchSpaceExhausted");
    expect(trials).toHaveLength(6);
    expect(new Set(trials.map((t) => JSON.stringify(t.parameters))).size).toBe(6);
  });

  it("fails with NoSuccessfulTrials when the budget ends without a single result", () => {
    const spec = specWith({ limits: { maxTrials: 2, parallelism: 1, maxFailedTrials: 5 } });
    const { final } = simulate(spec, () => ({ ok: false, reports: [] }));
    expect(final.completion).toMatchObject({ reason: "NoSuccessfulTrials", succeeded: false });
  });
});

describe("plan: results", () => {
  const history = (values: number[]) => values.map((accuracy, step) => ({ step, values: { accuracy } }));
  const finished = (index: number, values: number[]): TrialObservation => ({
    index,
    parameters: { lr: index },
    phase: "Succeeded",
    history: history(values),
    createdAt: 0,
  });

  it.each([
    ["Last", 1],
    ["Max", 0],
    ["Min", 1],
  ] as const)("reduces a metric's reports with %s", (reduction, bestIndex) => {
    const spec = specWith({
      objective: { metric: "accuracy", direction: reduction === "Min" ? "Minimize" : "Maximize", reduction },
    });
    const trials = [finished(0, [0.2, 0.9, 0.5]), finished(1, [0.1, 0.6, 0.7])];
    expect(plan(spec, trials, 0).best?.index).toBe(bestIndex);
  });

  it("keeps early-stopped trials out of the best result", () => {
    const spec = specWith();
    const stopped = { ...finished(1, [0.99]), phase: "EarlyStopped" as const };
    expect(plan(spec, [finished(0, [0.5]), stopped], 0).best?.index).toBe(0);
  });

  it("keeps the Pareto front when there are several objectives", () => {
    const spec = specWith({
      objective: {
        metrics: [
          { name: "accuracy", direction: "Maximize" },
          { name: "latency", direction: "Minimize" },
        ],
      },
      metrics: { additional: ["latency"] },
    });
    const trial = (index: number, accuracy: number, latency: number): TrialObservation => ({
      ...finished(index, []),
      history: [{ values: { accuracy, latency } }],
    });
    const trials = [trial(0, 0.9, 10), trial(1, 0.8, 5), trial(2, 0.7, 8), trial(3, 0.95, 20)];
    const result = plan(spec, trials, 0);
    expect(result.paretoFront?.map((t) => t.index)).toEqual([3, 0, 1]);
    expect(result.best?.index).toBe(3);
  });
});

describe("plan: Auto", () => {
  it("says in the message which strategy Auto chose", () => {
    const result = plan(specWith({ search: { strategy: "Auto", seed: 1 } }), [], 0);
    expect(result.message).toContain(`Auto chose ${result.strategy}`);
    expect(result.strategy).not.toBe("Auto");
  });
});
