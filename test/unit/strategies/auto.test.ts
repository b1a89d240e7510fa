import { describe, expect, it } from "vitest";
import { type Parameter, TuningJobSpec } from "../../../src/api/index.js";
import { createSearchSpace } from "../../../src/space/index.js";
import { resolveAutoStrategy } from "../../../src/strategies/index.js";
import { makeSpec } from "./fixtures.js";

const numeric: Parameter[] = [
  { name: "lr", type: "Float", min: 1e-5, max: 1, scale: "Log" },
  { name: "layers", type: "Int", min: 1, max: 8, scale: "Linear", step: 1 },
];
const mixed: Parameter[] = [...numeric, { name: "optimizer", type: "Categorical", values: ["adam", "sgd"] }];
const conditional: Parameter[] = [
  ...mixed,
  { name: "momentum", type: "Float", min: 0, max: 0.99, scale: "Linear", when: { optimizer: "sgd" } },
];

const auto = (parameters: Parameter[], maxTrials: number) => {
  const spec = makeSpec(parameters, {}, maxTrials);
  return resolveAutoStrategy(spec, createSearchSpace(spec.parameters));
};

function multiObjectiveSpec(maxTrials: number): TuningJobSpec {
  return TuningJobSpec.parse({
    objective: {
      metrics: [
        { name: "error", direction: "Minimize" },
        { name: "latency", direction: "Minimize" },
      ],
    },
    parameters: numeric,
    limits: { maxTrials },
    trialTemplate: { job: { template: { spec: { containers: [{ name: "train", image: "train:1" }] } } } },
  });
}

describe("Auto (as Optuna's AutoSampler decides)", () => {
  it("Grid when every parameter is discrete and the grid fits the budget", () => {
    const discrete: Parameter[] = [
      { name: "layers", type: "Int", min: 1, max: 8, scale: "Linear", step: 1 },
      { name: "optimizer", type: "Categorical", values: ["adam", "sgd"] },
    ];
    expect(auto(discrete, 16)).toBe("Grid");
    expect(auto(discrete, 15)).toBe("TPE");
  });

  it("the Gaussian process for small budgets on Float/Int spaces without conditions", () => {
    expect(auto(numeric, 50)).toBe("Bayesian");
    expect(auto(numeric, 200)).toBe("Bayesian");
  });

  it("TPE for large budgets, categorical or conditional parameters", () => {
    expect(auto(numeric, 201)).toBe("TPE");
    expect(auto(mixed, 50)).toBe("TPE");
    expect(auto(conditional, 50)).toBe("TPE");
  });

  it("several objectives: MOTPE for small budgets, NSGA-II from 250 trials", () => {
    for (const [maxTrials, expected] of [
      [100, "TPE"],
      [249, "TPE"],
      [250, "NSGA2"],
      [1000, "NSGA2"],
    ] as const) {
      const spec = multiObjectiveSpec(maxTrials);
      expect(resolveAutoStrategy(spec, createSearchSpace(spec.parameters))).toBe(expected);
    }
  });
});
