import { describe, expect, it } from "vitest";
import type { RetentionStatus, TrialObservation } from "../../../src/api/index.js";
import { objectivesOf } from "../../../src/api/index.js";
import {
  plan,
  RETIRED_SAMPLE_BYTES,
  RETIRED_SAMPLE_ENTRIES,
  retainTrials,
  retiredTrials,
} from "../../../src/engine/index.js";
import { simulate, specWith, succeedWith } from "../../support/simulate.js";

/** Accuracy peaks at lr = 0.01 and is lower for Int layers far from 3; trial 7's multiple fail. */
const accuracyOf = (parameters: Record<string, unknown>, index: number) =>
  index % 7 === 6
    ? { ok: false, reports: [] }
    : succeedWith(
        1 -
          Math.abs(Math.log10(Number(parameters.lr)) + 2) / 3 -
          Math.abs(Number(parameters.layers) - 3) / 10,
      );

const finished = (index: number, accuracy: number, phase: TrialObservation["phase"] = "Succeeded") =>
  ({
    index,
    parameters: { lr: 0.01, layers: 2, optimizer: "sgd" },
    phase,
    history: phase === "Succeeded" ? [{ values: { accuracy } }] : [],
    createdAt: index,
    finishedAt: index + 1,
  }) satisfies TrialObservation;

describe("trialRetention", () => {
  const limits = { maxTrials: 400, parallelism: 4, maxFailedTrials: 1000 };

  it("changes no decision of a Random job: same trials, counts, best and completion as keeping all", () => {
    const all = simulate(specWith({ limits }), accuracyOf);
    const retained = simulate(
      specWith({ limits, trialRetention: { keepBest: 5, keepLast: 20 } }),
      accuracyOf,
    );
    expect(retained.trials.map((t) => [t.index, t.parameters, t.phase])).toEqual(
      all.trials.map((t) => [t.index, t.parameters, t.phase]),
    );
    expect(retained.final.counts).toEqual(all.final.counts);
    expect(retained.final.best).toEqual(all.final.best);
    expect(retained.final.completion).toEqual(all.final.completion);
    // Never more present than the newest 20, the best 5 and the running ones.
    expect(retained.mostPresent).toBeLessThanOrEqual(20 + 5 + limits.parallelism);
    expect(all.mostPresent).toBe(400);
    const r = retained.retention as RetentionStatus;
    const retiredTotal =
      r.retired.succeeded + r.retired.failed + r.retired.earlyStopped + r.retired.metricsUnavailable;
    expect(retiredTotal).toBeGreaterThan(350);
    expect(r.retired.failed).toBe(
      all.trials.filter((t) => t.index % 7 === 6 && t.index < r.below && !r.kept.includes(t.index)).length,
    );
  });

  it("never retires the best trials, so the best and the Pareto front stay those of the whole job", () => {
    const spec = specWith({
      objective: {
        metrics: [
          { name: "accuracy", direction: "Maximize" },
          { name: "latency", direction: "Minimize" },
        ],
      },
      limits,
      trialRetention: { keepBest: 3, keepLast: 10 },
    });
    const both = (parameters: Record<string, unknown>) => ({
      ok: true,
      reports: [
        {
          step: 1,
          values: {
            accuracy: Number(parameters.lr) * 10,
            latency: Number(parameters.layers) + Number(parameters.lr),
          },
        },
      ],
    });
    const retained = simulate(spec, both);
    const all = simulate({ ...spec, trialRetention: undefined }, both);
    expect(retained.final.paretoFront?.map((r) => r.index)).toEqual(
      all.final.paretoFront?.map((r) => r.index),
    );
    expect(retained.final.hypervolume).toBe(all.final.hypervolume);
  });

  it("retires only behind the newest keepLast indices, and keeps running trials however old", () => {
    const spec = specWith({
      limits: { ...limits, parallelism: 1 },
      trialRetention: { keepBest: 1, keepLast: 3 },
    });
    const running = { ...finished(0, 0), phase: "Running" as const, history: [] };
    const trials = [
      running,
      finished(1, 0.9),
      finished(2, 0.1),
      finished(3, 0.2),
      finished(4, 0.3),
      finished(5, 0.4),
    ];
    const step = retainTrials(spec, objectivesOf(spec), trials, undefined);
    // Line at 6 - 3 = 3: trial 0 runs, trial 1 is the best, trial 2 retires.
    expect(step.retire).toEqual([2]);
    expect(step.state).toMatchObject({ below: 3, kept: [0, 1], retired: { succeeded: 1 } });
    expect(step.kept.map((t) => t.index)).toEqual([0, 1, 3, 4, 5]);
    // Trial 0 ends without a result: it now retires too, and the line stays.
    const later = retainTrials(
      spec,
      objectivesOf(spec),
      [finished(0, 0, "Failed"), ...step.kept.slice(1)],
      step.state,
    );
    expect(later.retire).toEqual([0]);
    expect(later.state).toMatchObject({ below: 3, kept: [1], retired: { succeeded: 1, failed: 1 } });
  });

  it("a restart between storing the state and deleting plans as if the deletes had happened", () => {
    const spec = specWith({
      limits: { ...limits, maxTrials: 12 },
      trialRetention: { keepBest: 1, keepLast: 4 },
    });
    const trials = Array.from({ length: 10 }, (_, i) => finished(i, i / 100));
    const first = retainTrials(spec, objectivesOf(spec), trials, undefined);
    expect(first.retire).toEqual([0, 1, 2, 3, 4, 5]);
    // Crash: the state was stored, no Trial deleted.
    const again = retainTrials(spec, objectivesOf(spec), trials, first.state);
    expect(again.retire).toEqual(first.retire);
    expect(again.kept).toEqual(first.kept);
    expect(again.state).toEqual(first.state);
    const afterDeletes = plan(spec, first.kept, 0, 0, [], undefined, undefined, retiredTrials(first.state));
    const afterCrash = plan(spec, again.kept, 0, 0, [], undefined, undefined, retiredTrials(again.state));
    expect(afterCrash).toEqual(afterDeletes);
    // 10 created: 2 more to reach maxTrials 12, at indices 10 and 11, never a retired one again.
    expect(afterDeletes.counts.created).toBe(10);
    expect(afterDeletes.create.map((c) => c.index)).toEqual([10, 11]);
  });

  it("keeps an even, bounded sample of everything retired, and the strategy learns from it", () => {
    const spec = specWith({
      search: { strategy: "TPE", seed: 3 },
      limits: { maxTrials: 3010, parallelism: 1, maxFailedTrials: 10 },
      trialRetention: { keepBest: 1, keepLast: 1 },
    });
    let state: RetentionStatus | undefined;
    let present: TrialObservation[] = [];
    for (let i = 0; i < 3000; i++) {
      const step = retainTrials(spec, objectivesOf(spec), [...present, finished(i, (i % 97) / 100)], state);
      state = step.state;
      present = step.kept;
    }
    const r = state as RetentionStatus;
    expect(r.sample.length).toBeLessThanOrEqual(RETIRED_SAMPLE_ENTRIES);
    expect(JSON.stringify(r.sample).length).toBeLessThanOrEqual(RETIRED_SAMPLE_BYTES);
    expect(r.sample.length).toBeGreaterThan(RETIRED_SAMPLE_ENTRIES / 4);
    expect(r.sample.every((s) => s.index % r.stride === 0)).toBe(true);
    // Even over the whole job: the first and last quarter of the indices hold about as many.
    const quarter = (q: number) => r.sample.filter((s) => Math.floor((s.index / 3000) * 4) === q).length;
    expect(Math.abs(quarter(0) - quarter(3))).toBeLessThanOrEqual(2);
    expect(r.sample.every((s) => s.metrics.accuracy !== undefined)).toBe(true);

    const withSample = plan(spec, present, 0, 0, [], undefined, undefined, retiredTrials(r));
    const withoutSample = plan(spec, present, 0, 0, [], undefined, undefined, {
      ...(retiredTrials(r) as NonNullable<ReturnType<typeof retiredTrials>>),
      sample: [],
    });
    expect(withSample.counts.created).toBe(3000);
    expect(withSample.create.map((c) => c.parameters)).not.toEqual(
      withoutSample.create.map((c) => c.parameters),
    );
  });

  it("with no trialRetention nothing retires and no state is made", () => {
    const spec = specWith({ limits });
    const trials = Array.from({ length: 50 }, (_, i) => finished(i, i / 100));
    expect(retainTrials(spec, objectivesOf(spec), trials, undefined)).toEqual({
      kept: trials,
      retire: [],
      state: undefined,
    });
  });
});
