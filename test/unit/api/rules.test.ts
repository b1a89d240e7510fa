import { describe, expect, it } from "vitest";
import { parseTuningJob, readableCount } from "../../../src/api/index.js";
import { jobDocument } from "../../support/jobs.js";

type Doc = ReturnType<typeof jobDocument>;

function errorsOf(mutate: (doc: Doc) => void): string[] {
  const doc = jobDocument();
  mutate(doc);
  const result = parseTuningJob(doc);
  return result.ok ? [] : result.errors;
}

/** The demo job with a conditional parameter on `parent`, which replaces `layers` (parameters[1]). */
function withCondition(parent: Record<string, unknown>, when: Record<string, unknown>) {
  return errorsOf((d) => {
    d.spec.parameters[1] = { name: "parent", ...parent };
    d.spec.parameters.push({ name: "child", type: "Float", min: 0, max: 1, when: { parent: when.value } });
  });
}

describe("when with numbers and booleans", () => {
  it.each([
    ["an Int", { type: "Int", min: 1, max: 5 }, 3],
    ["an Int, as text", { type: "Int", min: 1, max: 5 }, "3"],
    ["a Discrete", { type: "Discrete", values: [0.5, 1, 2] }, 0.5],
    ["a boolean Categorical", { type: "Categorical", values: [true, false] }, true],
    ["a numeric Categorical", { type: "Categorical", values: ["a", 7] }, 7],
    ["a large Int range", { type: "Int", min: 0, max: 1_000_000, step: 10 }, 500_000],
  ])("accepts a value of %s parent", (_what, parent, value) => {
    expect(withCondition(parent, { value })).toEqual([]);
  });

  it.each([
    [
      "an Int out of range",
      { type: "Int", min: 1, max: 5 },
      9,
      "9 is not a value of",
      "integers from 1 to 5",
    ],
    [
      "an Int off its steps",
      { type: "Int", min: 0, max: 10, step: 5 },
      3,
      "3 is not a value of",
      "in steps of 5",
    ],
    ["a fraction for an Int", { type: "Int", min: 1, max: 5 }, 2.5, "2.5 is not a value of", "1 to 5"],
    ["a boolean for an Int", { type: "Int", min: 0, max: 5 }, true, "true is not a value of", "0 to 5"],
    ["a missing Discrete value", { type: "Discrete", values: [1, 2] }, 3, "3 is not a value of", "(1, 2)"],
    ["false for a true-only flag", { type: "Categorical", values: [true] }, false, "false is not", "(true)"],
    ["text for an Int", { type: "Int", min: 1, max: 5 }, "3.0", '"3.0" is not a value of', "1 to 5"],
    ["a big Int out of range", { type: "Int", min: 0, max: 1e6 }, 2e6, "2000000 is not", "0 to 1000000"],
  ])("refuses %s", (_what, parent, value, message, values) => {
    const errors = withCondition(parent, { value });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`spec.parameters[4].when: ${message}`);
    expect(errors[0]).toContain(values);
  });
});

describe("the reserved name step", () => {
  const reserved = "is reserved: a trial's step=N sets the step of its report";
  it.each([
    ["objective.metric", (d: Doc) => Object.assign(d.spec.objective, { metric: "step" }), "objective.metric"],
    [
      "objective.metrics",
      (d: Doc) =>
        Object.assign(d.spec, {
          objective: {
            metrics: [
              { name: "accuracy", direction: "Maximize" },
              { name: "step", direction: "Minimize" },
            ],
          },
        }),
      "objective.metrics[1].name",
    ],
    [
      "metrics.additional",
      (d: Doc) => Object.assign(d.spec, { metrics: { additional: ["loss", "step"] } }),
      "metrics.additional[1]",
    ],
    [
      "metrics.definitions",
      (d: Doc) => Object.assign(d.spec, { metrics: { definitions: [{ name: "step", regex: "it (\\d+)" }] } }),
      "metrics.definitions[0].name",
    ],
  ])("is refused as %s", (_where, mutate, path) => {
    const errors = errorsOf(mutate);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`spec.${path}: "step" ${reserved}`);
  });

  it("is fine inside a longer name", () => {
    expect(
      errorsOf((d) => Object.assign(d.spec, { metrics: { additional: ["step_time", "steps"] } })),
    ).toEqual([]);
  });
});

describe("parameter names that differ only in case", () => {
  it("are refused, naming both and the variable they would share", () => {
    const errors = errorsOf((d) => d.spec.parameters.push({ name: "LR", type: "Float", min: 0, max: 1 }));
    expect(errors).toEqual([
      'spec.parameters[4]: parameters "lr" and "LR" would both be passed as HYPERTUNE_PARAM_LR; names must differ in more than case',
    ]);
  });

  it("leave other names alone", () => {
    expect(errorsOf((d) => d.spec.parameters.push({ name: "lr2", type: "Float", min: 0, max: 1 }))).toEqual(
      [],
    );
  });
});

describe("ReverseLog bounds", () => {
  it("refuses max at or above 1", () => {
    for (const max of [1, 1.5]) {
      const errors = errorsOf((d) =>
        Object.assign(d.spec.parameters[3] ?? {}, { min: 0.9, max, scale: "ReverseLog" }),
      );
      expect(errors).toEqual([`spec.parameters[3]: ReverseLog scale needs max < 1 (got ${max})`]);
    }
  });

  it("accepts a range below 1", () => {
    expect(
      errorsOf((d) =>
        Object.assign(d.spec.parameters[3] ?? {}, { min: 0.9, max: 0.9999, scale: "ReverseLog" }),
      ),
    ).toEqual([]);
  });
});

describe("a grid that is too large", () => {
  it("says how large in readable numbers", () => {
    const errors = errorsOf((d) => {
      d.spec.search.strategy = "Grid";
      d.spec.parameters.splice(0, d.spec.parameters.length);
      // `lr` stays, for the template's placeholder.
      for (let i = 0; i < 8; i++) {
        d.spec.parameters.push({ name: i === 0 ? "lr" : `p${i}`, type: "Int", min: 1, max: 1000 });
      }
    });
    expect(errors).toEqual(["spec.search: the grid has about 1.0e24 points; at most 1,000,000 are allowed"]);
  });

  it.each([
    [0, "0"],
    [999, "999"],
    [1000, "1,000"],
    [1_234_567, "1,234,567"],
    [999_999_999_999_999, "999,999,999,999,999"],
    [1e15, "about 1.0e15"],
    [7.178979876918526e23, "about 7.2e23"],
    [Number.POSITIVE_INFINITY, "more than 1e308"],
  ])("readableCount(%d) is %s", (n, text) => {
    expect(readableCount(n)).toBe(text);
  });
});
