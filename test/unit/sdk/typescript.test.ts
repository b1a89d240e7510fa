import { afterEach, describe, expect, it, vi } from "vitest";
import { formatLine, report } from "../../../sdk/typescript/report.js";
import { createMetricParser, formatMetricLine } from "../../../src/metrics/index.js";

describe("sdk/typescript/report.ts", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("writes the canonical line to stdout", () => {
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    report(3, { accuracy: 0.91, loss: 0.2 });
    expect(write).toHaveBeenCalledWith("hypertune: step=3 accuracy=0.91 loss=0.2\n");
  });

  it("prints what formatMetricLine prints, and the parser reads it back", () => {
    const values = { accuracy: 0.91, loss: 1e-7, big: -1.5e300 };
    expect(formatLine(7, values)).toBe(formatMetricLine(7, values));
    const parsed = createMetricParser({ declared: Object.keys(values) }).parseLine(formatLine(7, values));
    expect(parsed.samples.map((s) => s.value)).toEqual([0.91, 1e-7, -1.5e300]);
  });

  it("refuses non-finite values, bad steps and names", () => {
    for (const [step, metrics] of [
      [1, { loss: Number.NaN }],
      [1, { loss: Number.NEGATIVE_INFINITY }],
      [-1, { loss: 1 }],
      [1, { "a=b": 1 }],
      [1, { loss: "0.5" as unknown as number }],
    ] as const) {
      expect(() => report(step, metrics)).toThrow(RangeError);
    }
  });
});

describe("sdk checkpoints: what one attempt saves, the next loads, in either language", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("saves atomically and loads the last one; without a checkpoint directory there is none", async () => {
    const { mkdtempSync, readdirSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { spawnSync } = await import("node:child_process");
    const sdk = await import("../../../sdk/typescript/report.js");

    vi.stubEnv("HYPERTUNE_CHECKPOINT_DIR", "");
    expect(sdk.checkpointDir()).toBeUndefined();
    expect(sdk.saveCheckpoint(1, Buffer.from("x"))).toBe(false);
    expect(sdk.loadCheckpoint()).toBeUndefined();

    const dir = join(mkdtempSync(join(tmpdir(), "ht-sdk-")), "trial-3");
    vi.stubEnv("HYPERTUNE_CHECKPOINT_DIR", dir);
    vi.stubEnv("HYPERTUNE_ATTEMPT", "2");
    expect(sdk.attempt()).toBe(2);
    expect(sdk.loadCheckpoint()).toBeUndefined();
    sdk.saveCheckpoint(4, Buffer.from("four"));
    sdk.saveCheckpoint(5, Buffer.from("five"));
    const loaded = sdk.loadCheckpoint();
    expect([loaded?.step, loaded?.data.toString()]).toEqual([5, "five"]);
    expect(readdirSync(dir)).toEqual(["hypertune-checkpoint"]);

    // Python reads what TypeScript wrote, and the other way round.
    const python = (code: string) =>
      spawnSync(
        "python3",
        [
          "-c",
          `import sys; sys.path.insert(0, ${JSON.stringify(join(import.meta.dirname, "../../../sdk/python"))})\nfrom hypertune_sdk import *\n${code}`,
        ],
        { encoding: "utf8", env: { ...process.env, HYPERTUNE_CHECKPOINT_DIR: dir } },
      );
    const read = python("step, data = load_checkpoint(); print(step, data.decode())");
    expect(read.stderr).toBe("");
    expect(read.stdout.trim()).toBe("5 five");
    expect(python("save_checkpoint(6, b'six')").status).toBe(0);
    const back = sdk.loadCheckpoint();
    expect([back?.step, back?.data.toString()]).toEqual([6, "six"]);
  });
});
