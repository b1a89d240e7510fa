import { describe, expect, it } from "vitest";
import {
  type ParameterImportance,
  parameterImportance,
  type ScoredTrial,
} from "../../../src/analysis/index.js";
import type { Parameter, ParameterValues } from "../../../src/api/index.js";
import { createRng } from "../../../src/space/random.js";
import { knownAnswerTrials, MIXED_SPACE, PLAIN_SPACE, sampleParameters } from "./sample.js";

const byName = (result: ParameterImportance[]): Record<string, number> =>
  Object.fromEntries(result.map((r) => [r.name, r.importance]));

const scored = (parameters: ParameterValues[], f: (p: ParameterValues) => number): ScoredTrial[] =>
  parameters.map((p) => ({ parameters: p, value: f(p) }));

describe("parameterImportance: Optuna's answers", () => {
  // Optuna 5.0.0, PedAnovaImportanceEvaluator(target_quantile, region_quantile) through
  // get_param_importances, on the same 300 trials (knownAnswerTrials) added with create_trial.
  const cases = [
    {
      options: { targetQuantile: 0.1, regionQuantile: 1 },
      Minimize: {
        lr: 0.8344756665375647,
        layers: 0.09526688917452891,
        opt: 0.03144751357481827,
        batch: 0.01671227126777322,
        beta: 0.007401739123707344,
        units: 0.00732540975191747,
        dropout: 0.004923935873977937,
        wd: 0.002446574695711977,
      },
      Maximize: {
        opt: 0.4000770682664118,
        lr: 0.2403095651321411,
        layers: 0.15440674039113877,
        dropout: 0.1379786447427427,
        batch: 0.03147108694862203,
        units: 0.02881390570642304,
        wd: 0.006509210310304688,
        beta: 0.00043377850221594337,
      },
    },
    {
      options: { targetQuantile: 0.2, regionQuantile: 0.6 },
      Minimize: {
        lr: 0.7268991655471347,
        layers: 0.08356585824006264,
        batch: 0.059471077037245225,
        opt: 0.052871836657649024,
        beta: 0.04484994323944774,
        dropout: 0.013226029332460178,
        units: 0.009980199830072136,
        wd: 0.00913589011592869,
      },
      Maximize: {
        opt: 0.24405770351080955,
        units: 0.21094512391030204,
        lr: 0.21025156197283373,
        dropout: 0.11087465693491586,
        wd: 0.08276435248067826,
        layers: 0.08244376869656793,
        batch: 0.049533221340535054,
        beta: 0.009129611153357422,
      },
    },
  ] as const;
  const trials = knownAnswerTrials(300);

  for (const { options, ...expected } of cases) {
    for (const direction of ["Minimize", "Maximize"] as const) {
      it(`matches on a mixed space with a conditional parameter (${direction}, ${JSON.stringify(options)})`, () => {
        const result = parameterImportance(MIXED_SPACE, trials, direction, options);
        expect(result.map((r) => r.name)).toEqual(Object.keys(expected[direction]));
        for (const [name, importance] of Object.entries(expected[direction]))
          expect(byName(result)[name]).toBeCloseTo(importance, 12);
      });
    }
  }
});

describe("parameterImportance: behaviour", () => {
  const optimizerCost: Record<string, number> = { adam: 0, sgd: 2, rms: 1 };
  const objectives = {
    "lr and opt": (p: ParameterValues) =>
      (Math.log10(p.lr as number) + 3) ** 2 + (optimizerCost[p.opt as string] as number),
    "lr and layers": (p: ParameterValues) =>
      (Math.log10(p.lr as number) + 3) ** 2 + 0.5 * Math.abs((p.layers as number) - 6),
  };

  for (const [label, f] of Object.entries(objectives)) {
    for (const count of [200, 2000]) {
      it(`ranks ${label} first when the objective depends on them alone (${count} trials, 10 seeds)`, () => {
        const expected = label.split(" and ").sort();
        for (let seed = 1; seed <= 10; seed++) {
          const trials = scored(sampleParameters(PLAIN_SPACE, count, seed), f);
          const [first, second] = parameterImportance(PLAIN_SPACE, trials, "Minimize");
          expect([first?.name, second?.name].sort(), `seed ${seed}`).toEqual(expected);
          // With 200 trials the third can come close; with 2,000 the other six share crumbs.
          if (count === 2000)
            expect((first?.importance as number) + (second?.importance as number)).toBeGreaterThan(0.95);
        }
      });
    }
  }

  it("lists every parameter once, most important first, adding up to 1", () => {
    const result = parameterImportance(MIXED_SPACE, knownAnswerTrials(500), "Minimize");
    expect(result.map((r) => r.name).sort()).toEqual(MIXED_SPACE.map((p) => p.name).sort());
    for (let i = 1; i < result.length; i++)
      expect(result[i]?.importance).toBeLessThanOrEqual(result[i - 1]?.importance as number);
    expect(result.reduce((a, r) => a + r.importance, 0)).toBeCloseTo(1, 12);
  });

  it("gives 0 to a parameter with one value in the space or one value in every trial", () => {
    const space: Parameter[] = [
      ...MIXED_SPACE,
      { name: "only", type: "Categorical", values: ["x"] },
      { name: "pinned", type: "Float", min: 0, max: 1, scale: "Linear" },
    ];
    const trials = knownAnswerTrials(400).map((t) => ({
      ...t,
      parameters: { ...t.parameters, only: "x", pinned: 0.25 },
    }));
    const result = byName(parameterImportance(space, trials, "Minimize"));
    expect(result.only).toBe(0);
    expect(result.pinned).toBe(0);
    expect(result.lr).toBeGreaterThan(0.5);
  });

  it("mirrors: maximising a value is minimising its negation, and differs from minimising it", () => {
    const trials = knownAnswerTrials(300);
    const negated = trials.map((t) => ({ ...t, value: -t.value }));
    const maximised = parameterImportance(MIXED_SPACE, trials, "Maximize");
    expect(maximised).toEqual(parameterImportance(MIXED_SPACE, negated, "Minimize"));
    expect(parameterImportance(MIXED_SPACE, negated, "Maximize")).toEqual(
      parameterImportance(MIXED_SPACE, trials, "Minimize"),
    );
    expect(maximised[0]?.name).not.toBe(parameterImportance(MIXED_SPACE, trials, "Minimize")[0]?.name);
  });

  it("is deterministic and ignores the order of the trials", () => {
    const trials = knownAnswerTrials(300);
    const first = parameterImportance(MIXED_SPACE, trials, "Minimize");
    expect(parameterImportance(MIXED_SPACE, trials, "Minimize")).toEqual(first);
    const shuffled = createRng(3).shuffle([...trials]);
    expect(parameterImportance(MIXED_SPACE, shuffled, "Minimize")).toEqual(first);
  });

  it("skips absent and illegal values, and still credits a conditional parameter that matters", () => {
    const space: Parameter[] = [
      { name: "kernel", type: "Categorical", values: ["rbf", "poly"] },
      { name: "degree", type: "Int", min: 2, max: 5, scale: "Linear", step: 1, when: { kernel: "poly" } },
      { name: "c", type: "Float", min: 0.01, max: 100, scale: "Log" },
    ];
    const trials = scored(sampleParameters(space, 600, 5), (p) =>
      p.kernel === "poly" ? (p.degree as number) - 2 : 1.5,
    );
    expect(trials.some((t) => t.parameters.degree === undefined)).toBe(true);
    trials.push(
      { parameters: { kernel: "linear", degree: 99, c: -1 }, value: -10 },
      { parameters: { kernel: "poly", degree: 2.5, c: "big" }, value: -10 },
    );
    const result = byName(parameterImportance(space, trials, "Minimize"));
    for (const v of Object.values(result)) expect(Number.isFinite(v)).toBe(true);
    expect(result.degree).toBeGreaterThan(result.c as number);
    expect(result.kernel).toBeGreaterThan(result.c as number);
  });

  it("returns zeros, without throwing, when there is too little to go on", () => {
    const zeros = MIXED_SPACE.map((p) => ({ name: p.name, importance: 0 }));
    for (const count of [0, 1, 3])
      expect(parameterImportance(MIXED_SPACE, knownAnswerTrials(count), "Minimize")).toEqual(zeros);
    const unfinished = knownAnswerTrials(100).map((t, i) => ({
      ...t,
      value: i % 2 ? Number.NaN : Number.POSITIVE_INFINITY,
    }));
    expect(parameterImportance(MIXED_SPACE, unfinished, "Minimize")).toEqual(zeros);
    // Target and region the same set: no contrast to measure.
    const all = { targetQuantile: 0.5, regionQuantile: 0.5 };
    expect(parameterImportance(MIXED_SPACE, knownAnswerTrials(100), "Minimize", all)).toEqual(zeros);
    expect(parameterImportance([], knownAnswerTrials(100), "Minimize")).toEqual([]);
  });

  it("rejects quantiles outside 0 < target <= region <= 1", () => {
    const trials = knownAnswerTrials(50);
    for (const options of [
      { targetQuantile: 0 },
      { targetQuantile: 0.5, regionQuantile: 0.4 },
      { regionQuantile: 1.5 },
    ])
      expect(() => parameterImportance(MIXED_SPACE, trials, "Minimize", options)).toThrow(RangeError);
  });
});
