import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parseTuningJobSpec } from "../../../src/api/index.js";
import { openJobState } from "../../../src/local/jobState.js";
import { jobDocument } from "../../support/jobs.js";

function spec() {
  const parsed = parseTuningJobSpec({ ...jobDocument().spec, search: { strategy: "Auto", seed: 1 } });
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  return parsed.value;
}

const open = (stateRoot: string, resume: boolean) =>
  openJobState({ stateRoot, jobName: "demo", file: "/x/job.yaml", spec: spec(), resume });

describe("job.json pins the strategy", () => {
  test("the first choice is recorded and kept on resume", () => {
    const root = mkdtempSync(join(tmpdir(), "hypertune-state-"));
    const first = open(root, false);
    expect(first.pinStrategy("Bayesian")).toBe("Bayesian");
    first.unlock();
    const resumed = open(root, true);
    expect(resumed.record.strategy).toBe("Bayesian");
    expect(resumed.pinStrategy("TPE")).toBe("Bayesian");
    resumed.unlock();
  });

  test("a state folder written before the strategy was recorded resumes and records it then", () => {
    const root = mkdtempSync(join(tmpdir(), "hypertune-state-"));
    open(root, false).unlock();
    const recordPath = join(root, "demo", "job.json");
    const { strategy: _dropped, ...old } = JSON.parse(readFileSync(recordPath, "utf8"));
    writeFileSync(recordPath, JSON.stringify(old));
    const resumed = open(root, true);
    expect(resumed.record.strategy).toBeUndefined();
    expect(resumed.pinStrategy("TPE")).toBe("TPE");
    resumed.unlock();
    expect(JSON.parse(readFileSync(recordPath, "utf8")).strategy).toBe("TPE");
  });
});
