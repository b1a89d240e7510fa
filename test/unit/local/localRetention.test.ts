import { describe, expect, it } from "vitest";
import { LocalRetention } from "../../../src/local/localRetention.js";
import type { LocalTrial, TrialEvent } from "../../../src/local/types.js";
import { specWith } from "../../support/simulate.js";

const trial = (index: number): LocalTrial => ({
  index,
  parameters: { lr: 0.001 + ((index * 37) % 100) / 1000, layers: 1 + (index % 4), optimizer: "sgd" },
  phase: index % 9 === 4 ? "Failed" : "Succeeded",
  history: index % 9 === 4 ? [] : [{ values: { accuracy: ((index * 53) % 101) / 100 } }],
  createdAt: index,
  finishedAt: index + 1,
});

describe("LocalRetention", () => {
  it("replaying its logged steps on --resume gives the same kept trials, retired list and summary", () => {
    const spec = specWith({
      limits: { maxTrials: 600, parallelism: 3, maxFailedTrials: 600 },
      trialRetention: { keepBest: 4, keepLast: 10 },
    });
    const live = new LocalRetention(spec);
    const trials = new Map<number, LocalTrial>();
    const logged: TrialEvent[] = [];
    for (let i = 0; i < 600; i++) {
      // Now and then a trial waits to re-run (an interrupted one after --resume): never retired while it waits.
      const waits = i % 50 === 0;
      if (!waits) trials.set(i, trial(i));
      const event = live.step(trials, waits ? [{ ...trial(i), phase: "Pending" as const }] : [], i);
      if (event) logged.push(event);
      if (waits) trials.set(i, trial(i));
    }
    const replayed = new LocalRetention(spec);
    const all = new Map(Array.from({ length: 600 }, (_, i) => [i, trial(i)] as const));
    replayed.replay(
      all,
      logged.flatMap((e) =>
        e.event === "retired" ? [{ below: e.below, kept: e.kept, indices: e.indices }] : [],
      ),
    );
    expect([...all.keys()]).toEqual([...trials.keys()]);
    expect(replayed.retired.map((t) => t.index)).toEqual(live.retired.map((t) => t.index));
    // The live state's line may be ahead of the last logged step; what the engine counts and learns is the same.
    expect(replayed.summary()?.counts).toEqual(live.summary()?.counts);
    expect(replayed.summary()?.sample).toEqual(live.summary()?.sample);
    expect(trials.size).toBeLessThanOrEqual(4 + 10);
    expect(live.retired.length + trials.size).toBe(600);
  });

  it("without trialRetention retires nothing", () => {
    const live = new LocalRetention(specWith({ limits: { maxTrials: 50, parallelism: 1 } }));
    const trials = new Map(Array.from({ length: 50 }, (_, i) => [i, trial(i)] as const));
    expect(live.step(trials, [], 0)).toBeUndefined();
    expect(trials.size).toBe(50);
    expect(live.summary()).toBeUndefined();
  });
});
