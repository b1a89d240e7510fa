import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, jsonEqual } from "../../../src/api/index.js";
import { statusChanged } from "../../../src/operator/status-diff.js";

describe("canonicalJson", () => {
  it("sorts object keys at every depth and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } })).toBe('{"a":{"c":null,"d":[3,1]},"b":1}');
  });

  it("leaves undefined fields out, as JSON.stringify does", () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(canonicalJson([undefined])).toBe("[null]");
  });

  it("serializes what JSON.stringify would send for objects with toJSON, such as Dates", () => {
    const at = "2026-01-01T00:00:00.000Z";
    expect(canonicalJson({ time: new Date(at) })).toBe(`{"time":"${at}"}`);
    expect(jsonEqual({ time: new Date(at) }, { time: at })).toBe(true);
    expect(jsonEqual({ time: new Date(at) }, { time: new Date(0) })).toBe(false);
  });

  it("property: equal to JSON.stringify after sorting keys, whatever the key order", () => {
    const json = fc.jsonValue();
    fc.assert(
      fc.property(json, (value) => {
        const reordered = JSON.parse(JSON.stringify(value), (_k, v) =>
          v && typeof v === "object" && !Array.isArray(v)
            ? Object.fromEntries(Object.entries(v).reverse())
            : v,
        );
        expect(canonicalJson(reordered)).toBe(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe("jsonEqual", () => {
  it("ignores key order and undefined fields, not array order or values", () => {
    const current = {
      phase: "Running",
      counts: { running: 2, succeeded: 1 },
      conditions: [{ type: "A", status: "True" }],
    };
    const desired = {
      conditions: [{ status: "True", type: "A" }],
      counts: { succeeded: 1, running: 2 },
      phase: "Running",
    };
    expect(jsonEqual(current, desired)).toBe(true);
    expect(jsonEqual({ phase: "Running" }, { phase: "Running", message: undefined })).toBe(true);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: "1" })).toBe(false);
    expect(jsonEqual({ a: {} }, { a: [] })).toBe(false);
  });
});

describe("statusChanged", () => {
  it("counts a missing status as an empty one", () => {
    expect(statusChanged(undefined, {})).toBe(false);
    expect(statusChanged(undefined, { phase: "Pending" })).toBe(true);
    expect(
      statusChanged(
        { phase: "Running", trials: { a: 1, b: 2 } },
        { trials: { b: 2, a: 1 }, phase: "Running" },
      ),
    ).toBe(false);
  });
});
