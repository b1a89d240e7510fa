import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonEqual, statusDiff } from "../../../src/kube/index.js";

/** RFC 7386 applied in memory, to check that the patch turns current into desired. */
function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> =
    typeof target === "object" && target !== null && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

describe("statusDiff", () => {
  it("needs no write when only key order differs", () => {
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
    expect(statusDiff(current, desired)).toEqual({ changed: false, patch: {} });
  });

  it("treats undefined fields as absent", () => {
    expect(statusDiff({ phase: "Running" }, { phase: "Running", message: undefined }).changed).toBe(false);
  });

  it("patches only what changed, nested, and nulls removed fields", () => {
    const current = {
      phase: "Running",
      counts: { running: 2, succeeded: 1 },
      message: "old",
      bestTrial: { name: "t-1" },
    };
    const desired = { phase: "Running", counts: { running: 1, succeeded: 2 }, bestTrial: { name: "t-1" } };
    expect(statusDiff(current, desired)).toEqual({
      changed: true,
      patch: { counts: { running: 1, succeeded: 2 }, message: null },
    });
  });

  it("replaces arrays whole, as JSON merge patch does", () => {
    const diff = statusDiff({ conditions: [{ type: "A" }, { type: "B" }] }, { conditions: [{ type: "A" }] });
    expect(diff.patch).toEqual({ conditions: [{ type: "A" }] });
  });

  it("writes everything when there is no status yet", () => {
    expect(statusDiff(undefined, { phase: "Pending" })).toEqual({
      changed: true,
      patch: { phase: "Pending" },
    });
  });

  it("property: applying the patch to current yields desired; changed iff they differ", () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.constantFrom("a", "b", 1, 2, true),
        fc.array(tie("value"), { maxLength: 2 }),
        fc.dictionary(fc.constantFrom("x", "y", "z"), tie("value"), { maxKeys: 3 }),
      ),
    })).value;
    const status = fc.dictionary(fc.constantFrom("phase", "counts", "message", "best"), json, { maxKeys: 4 });
    fc.assert(
      fc.property(status, status, (current, desired) => {
        const diff = statusDiff(current, desired);
        expect(jsonEqual(applyMergePatch(current, diff.patch), desired)).toBe(true);
        expect(diff.changed).toBe(!jsonEqual(current, desired));
      }),
    );
  });
});
