import { join } from "node:path";
import { expect, test } from "vitest";
import { parseJsonResult, runCli, tempDir, writeTinyJob } from "./helpers.js";

test("several objectives: the JSON carries the Pareto front and hypervolume, the text shows the front", async () => {
  const dir = tempDir();
  // score peaks at x = 0.3 and cost = x, so every trial with x below 0.3 trades one for the other.
  const file = writeTinyJob(dir, {
    name: "pareto",
    maxTrials: 6,
    parallelism: 3,
    objective: {
      metrics: [
        { name: "score", direction: "Maximize" },
        { name: "cost", direction: "Minimize" },
      ],
    },
  });
  const env = { HT_SLEEP_MS: "50" };
  const json = await runCli(["run", file, "--state-dir", join(dir, "a"), "--output", "json"], { env });
  expect(json.code, json.stderr).toBe(0);
  const result = parseJsonResult(json.stdout);
  const front = result.paretoFront ?? [];
  expect(front.length).toBeGreaterThan(0);
  const dominated = (a: { metrics: Record<string, number> }, b: { metrics: Record<string, number> }) =>
    (b.metrics.score ?? 0) >= (a.metrics.score ?? 0) &&
    (b.metrics.cost ?? 0) <= (a.metrics.cost ?? 0) &&
    ((b.metrics.score ?? 0) > (a.metrics.score ?? 0) || (b.metrics.cost ?? 0) < (a.metrics.cost ?? 0));
  for (const entry of front) {
    expect(Object.keys(entry)).toEqual(["name", "index", "parameters", "metrics"]);
    expect(result.trials.some((t) => dominated(entry, t))).toBe(false);
  }
  expect(result.paretoHypervolume).toBeGreaterThan(0);

  const text = await runCli(["run", file, "--state-dir", join(dir, "b")], { env });
  expect(text.code, text.stderr).toBe(0);
  expect(text.stdout).toContain(
    `Pareto front (score Maximize, cost Minimize): ${front.length} non-dominated trial(s)`,
  );
  expect(text.stdout).toMatch(/trial\s+score \(Maximize\)\s+cost \(Minimize\)\s+x/);
});
