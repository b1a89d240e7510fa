import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { loadRunnableJob } from "../../../src/local/index.js";

/** A job file whose trial command exists (node itself), so only the limits can be wrong. */
function jobFile(limits: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "hypertune-load-"));
  const job = {
    apiVersion: "hypertune.dev/v1alpha1",
    kind: "TuningJob",
    metadata: { name: "limits" },
    spec: {
      objective: { metric: "score", direction: "Maximize" },
      parameters: [{ name: "x", type: "Float", min: 0, max: 1 }],
      limits,
      trialTemplate: {
        job: { template: { spec: { containers: [{ name: "t", command: [process.execPath] }] } } },
      },
    },
  };
  const path = join(dir, "job.yaml");
  writeFileSync(path, JSON.stringify(job));
  return path;
}

describe("loadRunnableJob: --max-trials and --parallelism are validated as the file is", () => {
  test("values above the schema's caps are refused with the schema's message, naming the flag", async () => {
    const file = jobFile({ maxTrials: 10, parallelism: 2 });
    const refused = loadRunnableJob(file, { maxTrials: 5_000_000, parallelism: 5000 });
    await expect(refused).rejects.toThrow(/--max-trials 5000000.*spec\.limits\.maxTrials.*100000/);
    await expect(refused).rejects.toThrow(/--parallelism 5000.*spec\.limits\.parallelism.*1000/);
  });

  test("--parallelism above its cap is refused even when maxTrials is smaller", async () => {
    const file = jobFile({ maxTrials: 10, parallelism: 2 });
    await expect(loadRunnableJob(file, { parallelism: 5000 })).rejects.toThrow(/--parallelism 5000/);
  });

  test("a smaller --max-trials still lowers parallelism instead of failing", async () => {
    const file = jobFile({ maxTrials: 10, parallelism: 4 });
    const { spec } = await loadRunnableJob(file, { maxTrials: 2 });
    expect(spec.limits).toMatchObject({ maxTrials: 2, parallelism: 2 });
    const raised = await loadRunnableJob(file, { maxTrials: 100_000, parallelism: 1000 });
    expect(raised.spec.limits).toMatchObject({ maxTrials: 100_000, parallelism: 1000 });
  });
});
