import { describe, expect, it } from "vitest";
import { hasNestedQuantifier, validateMetricDefinitions } from "../../../src/metrics/index.js";

describe("validateMetricDefinitions", () => {
  it("accepts good definitions", () => {
    expect(
      validateMetricDefinitions([
        { name: "accuracy", regex: "val_acc=([0-9.eE+-]+)" },
        { name: "loss", regex: "loss: ((?:\\d+\\.)?\\d+)" },
        { name: "f1", regex: "f1 (?<value>\\S+)" },
      ]),
    ).toEqual([]);
  });

  it.each([
    ["acc=([0-9.]+", "invalid regex"],
    ["acc=[0-9.]+", "exactly one capture group"],
    ["(acc)=([0-9.]+)", "found 2"],
    ["", "empty"],
    ["acc=((?:\\d+)+)", "repeats a group"],
    ["x".repeat(1025), "longer than"],
  ])("reports %s", (regex, message) => {
    const errors = validateMetricDefinitions([{ name: "accuracy", regex }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("metrics.definitions[0] (accuracy)");
    expect(errors[0]).toContain(message);
  });

  it("reports reserved, duplicate and empty names", () => {
    const errors = validateMetricDefinitions([
      { name: "step", regex: "s=(\\d+)" },
      { name: "a", regex: "a=(\\d+)" },
      { name: "a", regex: "b=(\\d+)" },
      { name: "", regex: "c=(\\d+)" },
    ]);
    expect(errors.join("\n")).toMatch(/reserved/);
    expect(errors.join("\n")).toMatch(/second definition/);
    expect(errors.join("\n")).toMatch(/name is empty/);
  });

  it("does not throw on odd input", () => {
    expect(() => validateMetricDefinitions([{ name: "a", regex: "(?<=" }])).not.toThrow();
  });
});

describe("hasNestedQuantifier", () => {
  it.each([
    ["(a+)+", true],
    ["(a*)*b", true],
    ["((ab)+c)*", true],
    ["(?:\\d+){2,}", true],
    ["(a+)", false],
    ["(a+)?", false],
    ["([+*]+)", false],
    ["\\(a+\\)+", false],
    ["(a)+", false],
  ])("%s → %s", (regex, expected) => {
    expect(hasNestedQuantifier(regex)).toBe(expected);
  });
});
