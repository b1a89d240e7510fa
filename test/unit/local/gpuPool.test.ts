import { describe, expect, test } from "vitest";
import { GpuPool, parseGpuList } from "../../../src/local/gpuPool.js";

describe("GPU slots", () => {
  test("parses lists and ranges; rejects junk and duplicates", () => {
    expect(parseGpuList("0,1, 3")).toEqual([0, 1, 3]);
    expect(parseGpuList("0-3")).toEqual([0, 1, 2, 3]);
    expect(parseGpuList("a")).toMatch(/not a GPU index/);
    expect(parseGpuList("0,0")).toMatch(/twice/);
    expect(parseGpuList("")).toMatch(/at least one/);
  });

  test("hands out distinct devices, all or nothing, and takes them back", () => {
    const pool = new GpuPool([0, 1, 2]);
    expect(pool.acquire(2)).toEqual([0, 1]);
    expect(pool.acquire(2)).toBeUndefined();
    expect(pool.acquire(1)).toEqual([2]);
    pool.release([1]);
    pool.release([1]);
    expect(pool.freeCount).toBe(1);
    expect(pool.acquire(1)).toEqual([1]);
  });
});
