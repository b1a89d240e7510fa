// Auto's choice is made once per job: a raised budget on resume must not switch strategies.
import { describe, expect, it } from "vitest";
import { plan, strategyFor } from "../../../src/engine/index.js";
import { specWith } from "../../support/simulate.js";

const numeric = [
  { name: "lr", type: "Float", min: 0.001, max: 0.1, scale: "Log" },
  { name: "layers", type: "Int", min: 1, max: 4 },
];
const auto = (maxTrials: number) =>
  specWith({
    parameters: numeric,
    search: { strategy: "Auto", seed: 3 },
    limits: { maxTrials, parallelism: 2 },
  });

describe("plan: a pinned Auto choice", () => {
  it("keeps the first choice when the budget grows", () => {
    const first = plan(auto(20), [], 0, 0);
    expect(first.strategy).toBe("Bayesian");
    // Unpinned, the larger budget would resolve differently.
    expect(plan(auto(500), [], 0, 0).strategy).toBe("TPE");
    const resumed = plan(auto(500), [], 0, 0, [], first.strategy);
    expect(resumed.strategy).toBe("Bayesian");
    expect(resumed.message).toContain("Auto chose Bayesian");
    expect(resumed.create.map((c) => c.parameters)).toEqual(
      plan(auto(20), [], 0, 0, [], "Bayesian").create.map((c) => c.parameters),
    );
  });

  it("ignores the pin when the spec names a strategy, and an unknown pin", () => {
    const named = specWith({ parameters: numeric, search: { strategy: "Sobol", seed: 3 } });
    expect(plan(named, [], 0, 0, [], "Bayesian").strategy).toBe("Sobol");
    expect(strategyFor(auto(500), "Hyperopt")).toBe("TPE");
    expect(strategyFor(auto(500), "Bayesian")).toBe("Bayesian");
  });
});
