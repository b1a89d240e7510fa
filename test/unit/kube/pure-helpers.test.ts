import { describe, expect, it } from "vitest";
import { backoffDelay, eventName, keyOf, splitKey } from "../../../src/kube/index.js";

describe("keys", () => {
  it("round-trips namespaced and cluster-scoped keys", () => {
    expect(keyOf({ metadata: { namespace: "ns", name: "a" } })).toBe("ns/a");
    expect(keyOf({ metadata: { name: "node-1" } })).toBe("node-1");
    expect(splitKey("ns/a")).toEqual({ namespace: "ns", name: "a" });
    expect(splitKey("node-1")).toEqual({ name: "node-1" });
  });
});

describe("backoffDelay", () => {
  it("doubles from the base up to the cap, jittered downwards", () => {
    const fixed = { baseMs: 100, maxMs: 1000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, fixed))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(3, { baseMs: 100, maxMs: 1000, jitter: 0.5, random: () => 1 })).toBe(200);
    expect(backoffDelay(1e6, { baseMs: 100, maxMs: 1000, jitter: 0.5, random: () => 0 })).toBe(1000);
  });
});

describe("eventName", () => {
  const obj = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm", namespace: "ns", uid: "u1" } };
  it("is stable for identical events and differs otherwise", () => {
    const a = eventName(obj, "Normal", "Created", "made it", "op");
    expect(eventName(obj, "Normal", "Created", "made it", "op")).toBe(a);
    expect(eventName(obj, "Normal", "Created", "made it again", "op")).not.toBe(a);
    expect(
      eventName({ ...obj, metadata: { ...obj.metadata, uid: "u2" } }, "Normal", "Created", "made it", "op"),
    ).not.toBe(a);
    expect(a).toMatch(/^cm\.[0-9a-f]{16}$/);
  });
  it("stays a valid name for very long object names", () => {
    const long = { metadata: { name: `${"a".repeat(252)}.` } };
    const name = eventName(long, "Warning", "R", "m", "op");
    expect(name.length).toBeLessThanOrEqual(253);
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
  });
});
