import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createMetricParser } from "../../../src/metrics/index.js";

// python3 is part of the development and CI environment; a missing one fails here on purpose.
const sdk = join(import.meta.dirname, "../../../sdk/python");
const python = (code: string) =>
  spawnSync(
    "python3",
    ["-c", `import sys; sys.path.insert(0, ${JSON.stringify(sdk)})\nfrom hypertune_sdk import *\n${code}`],
    {
      encoding: "utf8",
    },
  );

describe("sdk/python/hypertune_sdk.py", () => {
  it("prints canonical lines that the parser reads back exactly", () => {
    const result = python(
      "report(3, accuracy=0.91, loss=0.2)\nreport(None, loss=1e-07)\nreport(0, big=1.5e300, n=7, tiny=5e-324)",
    );
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout.split("\n")[0]).toBe("hypertune: step=3 accuracy=0.91 loss=0.2");
    const parsed = createMetricParser({ declared: ["accuracy", "loss", "big", "n", "tiny"] }).parseText(
      result.stdout,
    );
    expect(parsed.rejected).toEqual([]);
    expect(parsed.samples).toEqual([
      { name: "accuracy", value: 0.91, step: 3 },
      { name: "loss", value: 0.2, step: 3 },
      { name: "loss", value: 1e-7 },
      { name: "big", value: 1.5e300, step: 0 },
      { name: "n", value: 7, step: 0 },
      { name: "tiny", value: 5e-324, step: 0 },
    ]);
  });

  it.each([
    ["report(1, loss=float('nan'))", "not finite"],
    ["report(1, loss=float('-inf'))", "not finite"],
    ["report(1, loss=10**400)", "not a usable number"],
    ["report(1, loss='0.5')", "must be a number"],
    ["report(1, loss=True)", "must be a number"],
    ["report(-1, loss=1)", "step"],
    ["report(1.5, loss=1)", "step"],
    ["report(1, **{'a b': 1})", "invalid metric name"],
    ["report(1, **{'1x': 1})", "invalid metric name"],
  ])("%s raises ValueError", (code, message) => {
    const result = python(code);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("ValueError");
    expect(result.stderr).toContain(message);
  });

  it("flushes each line at once (the line is out before the process goes on)", () => {
    const result = python("import os\nreport(1, loss=0.5)\nos._exit(0)");
    expect(result.stdout).toBe("hypertune: step=1 loss=0.5\n");
  });
});
