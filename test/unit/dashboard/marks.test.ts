/** The page's cheap marks (src/dashboard/ui/marks.ts): pixel dots and merged line segments. */
import { describe, expect, it } from "vitest";
import { PixelDots, rgbaOf, SnappedSegments } from "../../../src/dashboard/ui/marks.js";

const pixel = (d: PixelDots, x: number, y: number) => [
  ...d.pixels.slice((y * d.width + x) * 4, (y * d.width + x) * 4 + 4),
];

describe("PixelDots", () => {
  it("fills a square of the given size, scaled by the pixel ratio, and clips it at the edges", () => {
    const d = new PixelDots(10, 10, 2);
    d.square(1, 1, 2, rgbaOf("#ff8000"));
    // Centre (2, 2) in device pixels, 4 wide: x and y 0–3.
    expect(pixel(d, 0, 0)).toEqual([255, 128, 0, 255]);
    expect(pixel(d, 3, 3)).toEqual([255, 128, 0, 255]);
    expect(pixel(d, 4, 4)).toEqual([0, 0, 0, 0]);
    d.square(0, 0, 4, rgbaOf("#0000ff"));
    expect(pixel(d, 0, 0)).toEqual([0, 0, 255, 255]);
    d.square(100, 100, 4, rgbaOf("#0000ff"));
    expect(pixel(d, 9, 9)).toEqual([0, 0, 0, 0]);
  });

  it("blends translucent squares source-over, as a canvas would", () => {
    const d = new PixelDots(4, 4);
    const black = rgbaOf("#000000", 0.5);
    d.square(1, 1, 2, black);
    expect(pixel(d, 0, 0)).toEqual([0, 0, 0, 128]);
    d.square(1, 1, 2, black);
    // Two layers of 50 %: 75 % opaque.
    expect(pixel(d, 0, 0)[3]).toBeCloseTo(191, -1);
    d.square(1, 1, 2, rgbaOf("#ffffff", 0.5));
    const [r, g, b, a] = pixel(d, 0, 0);
    expect(r).toBe(g);
    expect(g).toBe(b);
    expect(r).toBeGreaterThan(100);
    expect(a).toBeGreaterThan(191);
  });
});

describe("SnappedSegments", () => {
  it("merges segments that snap to the same cells, as opaque as their copies together", () => {
    const s = new SnappedSegments(4, 100);
    s.add(0, 10, 20, 50, 40); // rows 5 and 10
    s.add(1, 10, 21, 50, 41); // the same after snapping
    s.add(2, 10, 60, 50, 80);
    const merged = s.select(Uint8Array.from([1, 1, 1])).kept;
    expect(merged.size).toBe(2);
    // The pair of copies: opacity 1 − (1 − 0.5)² = 0.75.
    expect(merged.groups(0.5)).toEqual([
      { bucket: 0, opacity: 0.5, coords: [10, 60, 50, 80] },
      { bucket: 0, opacity: 0.75, coords: [10, 20, 50, 40] },
    ]);
  });

  it("colours a merged segment by what each colour's copies would show, the higher drawn on top", () => {
    const s = new SnappedSegments(1, 10);
    for (let t = 0; t < 5; t++) s.add(t, 0, 5, 10, 5);
    // Four copies of bucket 0 under one of bucket 10: 0 shows 1 − 0.5⁴ through 0.5, 10 shows 0.5.
    const { kept } = s.select(new Uint8Array(5).fill(1), Uint8Array.from([0, 0, 0, 0, 10]), 11);
    const [group] = kept.groups(0.5);
    expect(group?.bucket).toBe(Math.round((10 * 0.5) / (0.5 + 0.5 * (1 - 0.5 ** 4))));
    expect(group?.opacity).toBe(Math.round((1 - 0.5 ** 5) * 32) / 32);
  });

  it("splits the trials a filter keeps from the others, whichever side is smaller; addRun is add for a column", () => {
    const a = new SnappedSegments(2, 50);
    const b = new SnappedSegments(2, 50);
    const from = Int32Array.from([1, 2, -1, 2, 1]);
    const to = Int32Array.from([3, 4, 5, 4, 3]);
    b.addRun(0, 30, from, to);
    for (let i = 0; i < from.length; i++)
      if ((from[i] as number) >= 0) a.add(i, 0, (from[i] as number) * 2, 30, (to[i] as number) * 2);
    expect(a.length).toBe(4);
    expect(b.length).toBe(4);
    const lower = [0, 2, 30, 6];
    const upper = [0, 4, 30, 8];
    for (const s of [a, b]) {
      // Fewer kept than left out, then the other way round; then everything.
      const few = s.select(Uint8Array.from([1, 0, 0, 0, 0]));
      expect(few.kept.groups(1)).toEqual([{ bucket: 0, opacity: 1, coords: lower }]);
      expect(few.rest.groups(0.5).map((g) => [g.opacity, g.coords])).toEqual([
        [0.5, lower],
        [0.75, upper],
      ]);
      const many = s.select(Uint8Array.from([1, 1, 1, 1, 0]));
      expect(many.kept.groups(0.5).map((g) => [g.opacity, g.coords])).toEqual([
        [0.5, lower],
        [0.75, upper],
      ]);
      expect(many.rest.groups(1)).toEqual([{ bucket: 0, opacity: 1, coords: lower }]);
      expect(s.select(new Uint8Array(5).fill(1)).rest.size).toBe(0);
    }
  });

  it("keeps counting right when many x pairs make the grid too large for an array", () => {
    const s = new SnappedSegments(1, 2000);
    // 2,000 distinct x pairs × 2,002² rows: far past the dense limit.
    for (let k = 0; k < 2000; k++) {
      s.add(0, k, 7, k + 1, 9);
      s.add(1, k, 7, k + 1, 9);
    }
    const { kept } = s.select(Uint8Array.from([1, 1]));
    expect(kept.size).toBe(2000);
    expect(kept.groups(0.5)[0]?.opacity).toBe(0.75);
  });
});
