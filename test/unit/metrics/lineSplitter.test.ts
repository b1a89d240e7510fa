import { describe, expect, test } from "vitest";
import { LineSplitter } from "../../../src/metrics/lineSplitter.js";

function split(chunks: (string | Buffer)[], max?: number): [string, boolean][] {
  const lines: [string, boolean][] = [];
  const splitter = new LineSplitter((line, truncated) => lines.push([line, truncated]), max);
  for (const c of chunks) splitter.push(typeof c === "string" ? Buffer.from(c) : c);
  splitter.end();
  return lines;
}

describe("LineSplitter", () => {
  test("splits on \\n, \\r\\n and a lone \\r, across chunk boundaries", () => {
    expect(split(["a=1\nb", "=2\r\nc=3\rd=4"]).map(([l]) => l)).toEqual(["a=1", "b=2", "c=3", "d=4"]);
  });

  test("a multi-byte character split between chunks survives", () => {
    const bytes = Buffer.from("λ=1\n");
    expect(split([bytes.subarray(0, 1), bytes.subarray(1)])).toEqual([["λ=1", false]]);
  });

  test("an overlong line keeps a bounded prefix and is flagged as truncated", () => {
    const lines = split(["x".repeat(50), "y".repeat(50), "\nok\n"], 64);
    expect(lines).toEqual([
      [`${"x".repeat(50)}${"y".repeat(14)}`, true],
      ["ok", false],
    ]);
  });
});
