import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createMetricParser, type MetricSample } from "../../../src/metrics/index.js";

const folder = join(import.meta.dirname, "../../../examples/quickstart");
const train = (...args: string[]) =>
  execFileSync(process.execPath, ["train.mjs", ...args], { cwd: folder, encoding: "utf8" });
const parser = createMetricParser({ declared: ["val_accuracy", "loss"] });
const lastValue = (samples: MetricSample[], name: string) =>
  samples.filter((s) => s.name === name).at(-1)?.value;

describe("examples/quickstart/train.mjs", () => {
  it("prints one canonical metric line per epoch, and a good configuration learns", () => {
    const output = train("--lr=0.3", "--hidden=32", "--l2=0.00001", "--epochs=8", "--seed=1");
    const { samples, rejected } = parser.parseText(output);
    expect(rejected).toEqual([]);
    expect(samples.filter((s) => s.name === "val_accuracy").map((s) => s.step)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8,
    ]);
    expect(lastValue(samples, "val_accuracy")).toBeGreaterThanOrEqual(0.93);
  });

  it("is deterministic for a seed, and a tiny learning rate stays near chance", () => {
    const args = ["--lr=0.0001", "--hidden=16", "--l2=0.001", "--epochs=3"];
    const first = train(...args);
    expect(train(...args)).toBe(first);
    expect(lastValue(parser.parseText(first).samples, "val_accuracy")).toBeLessThan(0.3);
  });

  it("refuses bad arguments with a non-zero exit", () => {
    for (const args of [["--lr=abc"], ["--hidden=0"], ["--epochs=2.5"], ["--unknown=1"], ["--lr"]]) {
      const result = spawnSync(process.execPath, ["train.mjs", ...args], { cwd: folder, encoding: "utf8" });
      expect(result.status).not.toBe(0);
    }
  });
});
