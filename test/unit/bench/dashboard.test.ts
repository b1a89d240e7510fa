/** The dashboard benchmark's synthetic job: a state folder the runner's own readers take as real. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeSyntheticJob } from "../../../bench/dashboard/synthetic.js";
import { LocalJobSource } from "../../../src/dashboard/local-source.js";
import { buildJobView } from "../../../src/dashboard/view.js";
import { readJobRecord } from "../../../src/local/jobState.js";
import { readRebuiltState } from "../../../src/local/rebuildTrials.js";

const dir = mkdtempSync(join(tmpdir(), "hypertune-bench-dashboard-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the dashboard benchmark's synthetic job", () => {
  const options = { name: "synthetic", trials: 400, curves: 40, seed: 7 };
  const job = writeSyntheticJob({ root: join(dir, "a"), ...options });

  it("is a finished job the runner's readers rebuild, with the phases and curves asked for", () => {
    const record = readJobRecord(join(job.dir, "job.json"));
    expect(record?.spec?.parameters.map((p) => p.type)).toEqual([
      "Float",
      "Float",
      "Float",
      "Float",
      "Int",
      "Int",
      "Categorical",
      "Categorical",
    ]);
    const rebuilt = readRebuiltState(join(job.dir, "trials.jsonl"));
    expect(rebuilt.skippedLines).toBe(0);
    expect(rebuilt.unfinished).toEqual([]);
    expect(rebuilt.endedStatus).toBe("Succeeded");
    expect(rebuilt.finished).toHaveLength(400);
    const phases = new Set(rebuilt.finished.map((t) => t.phase));
    expect(phases).toEqual(new Set(["Succeeded", "Failed", "EarlyStopped"]));
    expect(job.counts.withCurves).toBe(40);
  });

  it("is what the dashboard shows: every trial, the curves, a best trial", async () => {
    const source = new LocalJobSource(join(dir, "a"));
    const read = await source.job("synthetic");
    expect(read?.phase).toBe("Succeeded");
    const view = buildJobView(read as NonNullable<typeof read>);
    expect(view.trials.index).toHaveLength(400);
    expect(view.curves.length).toBeGreaterThan(30);
    expect(view.best).not.toBeNull();
    expect(view.importance[0]?.name).toBe("lr");
  });

  it("is the same for the same seed", () => {
    const again = writeSyntheticJob({ root: join(dir, "b"), ...options });
    const text = (p: string) => readFileSync(join(p, "trials.jsonl"), "utf8");
    expect(text(again.dir)).toBe(text(job.dir));
  });
});
