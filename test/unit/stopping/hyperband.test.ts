import { describe, expect, it } from "vitest";
import type { TrialObservation } from "../../../src/api/index.js";
import { crc32 } from "../../../src/stopping/crc32.js";
import { bracketBudgets, bracketCount, bracketOf, stoppingRuleFor } from "../../../src/stopping/index.js";
import { request, settingsWith, steps, trial } from "./fixtures.js";

const settings = settingsWith({ rule: "Hyperband", minResource: 1, maxResource: 27, reductionFactor: 3 });
const hyperband = stoppingRuleFor(settings);
if (!hyperband) throw new Error("Hyperband is not registered");

describe("Hyperband brackets", () => {
  it("has s_max + 1 brackets, budget-weighted as Optuna's HyperbandPruner", () => {
    expect(bracketCount(settings)).toBe(4);
    // ⌈4·3^s/(s+1)⌉ for s = 3, 2, 1, 0.
    expect(bracketBudgets(settings)).toEqual([27, 12, 6, 4]);
    expect(bracketCount(settingsWith({ rule: "Hyperband", minResource: 2, maxResource: 17 }))).toBe(2);
    expect(bracketCount(settingsWith({ rule: "Hyperband", minResource: 1, maxResource: 1 }))).toBe(1);
  });

  it("hashes the trial index with Python's CRC-32", () => {
    expect(crc32("123456789")).toBe(3421780262);
    expect([0, 1, 2].map((i) => crc32(`trial_${i}`))).toEqual([2385396133, 4180242739, 1612718217]);
  });

  it("assigns brackets deterministically, in proportion to their budgets", () => {
    const budgets = bracketBudgets(settings);
    const first = Array.from({ length: 4900 }, (_, i) => bracketOf(i, budgets));
    const again = Array.from({ length: 4900 }, (_, i) => bracketOf(i, budgets));
    expect(again).toEqual(first);
    const counts = [0, 1, 2, 3].map((b) => first.filter((x) => x === b).length);
    // Expected 2700, 1200, 600, 400 of 4900.
    for (const [b, budget] of budgets.entries())
      expect(Math.abs((counts[b] ?? 0) - budget * 100)).toBeLessThan(150);
  });
});

describe("Hyperband", () => {
  const budgets = bracketBudgets(settings);
  const inBracket = (bracket: number, count: number) => {
    const found: number[] = [];
    for (let i = 0; found.length < count; i++) if (bracketOf(i, budgets) === bracket) found.push(i);
    return found;
  };
  const [a0, b0] = inBracket(0, 2) as [number, number];
  const [a1] = inBracket(1, 1) as [number];
  const stopped = (history: TrialObservation[]) =>
    hyperband.decide(request(settings, history)).map((d) => d.index);

  it("stops in the aggressive bracket at its first rung, minResource", () => {
    expect(
      stopped([
        trial(
          a0,
          steps(27, () => 1),
          "Succeeded",
        ),
        trial(b0, [[1, 2]]),
      ]),
    ).toEqual([b0]);
  });

  it("compares a trial only with its own bracket", () => {
    const leader = trial(
      a0,
      steps(27, () => 1),
      "Succeeded",
    );
    // Bracket 1's first rung is step 3: not judged at step 1, and alone in its bracket at step 3.
    expect(stopped([leader, trial(a1, [[1, 5]])])).toEqual([]);
    expect(
      stopped([
        leader,
        trial(
          a1,
          steps(3, () => 5),
        ),
      ]),
    ).toEqual([]);
    const peer = trial(
      inBracket(1, 2)[1] as number,
      steps(27, () => 1),
      "Succeeded",
    );
    expect(
      stopped([
        leader,
        peer,
        trial(
          a1,
          steps(3, () => 5),
        ),
      ]),
    ).toEqual([a1]);
  });
});
