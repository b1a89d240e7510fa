import { join } from "node:path";
import { expect, test } from "vitest";
import { parseJsonResult, REPO, runCli, tempDir } from "./helpers.js";

// The example's trainer reaches ~0.97-0.98 at good settings and ~0.1 at a tiny learning rate;
// six Sobol trials (seed 1) cover the space well enough to find one above 0.9.
const REQUIRED_VAL_ACCURACY = 0.9;

test("the quickstart with a small budget finds a configuration above 0.9 validation accuracy", async () => {
  const stateDir = tempDir();
  const file = join(REPO, "examples/quickstart/tuningjob.yaml");
  const result = await runCli([
    "run",
    file,
    "--max-trials",
    "6",
    "--parallelism",
    "2",
    "--state-dir",
    stateDir,
    "--output",
    "json",
  ]);
  expect(result.code, result.stderr).toBe(0);
  const json = parseJsonResult(result.stdout);
  expect(json.status).toBe("Succeeded");
  expect(json.reason).toBe("MaxTrialsReached");
  expect(json.trials.map((t) => t.index)).toEqual([0, 1, 2, 3, 4, 5]);
  expect(json.trials.every((t) => t.phase === "Succeeded")).toBe(true);
  expect(json.bestTrial?.metrics.val_accuracy).toBeGreaterThanOrEqual(REQUIRED_VAL_ACCURACY);
  expect(json.bestTrial?.name).toBe(`quickstart-digits-${json.bestTrial?.index}`);
  // Progress went to stderr, so stdout held only the JSON document.
  expect(result.stderr).toMatch(/trial \d+ Succeeded val_accuracy=/);
});
