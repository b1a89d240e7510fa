import { describe, expect, test } from "vitest";
import { summarizeJob } from "../../../src/cli/cluster/jobSummary.js";
import { formatJobTable } from "../../../src/cli/cluster/jobTable.js";
import { minutesAgo, multiObjectiveJob, NOW, singleObjectiveJob } from "./fixtures.js";

const fresh = {
  metadata: { name: "fresh", namespace: "team-b", creationTimestamp: minutesAgo(0.5) },
  spec: { objective: { metric: "loss", direction: "Minimize" as const }, limits: { maxTrials: 3 } },
};

describe("hypertune get: the table", () => {
  test("kubectl's layout: columns three spaces apart, best with its objective, what Auto chose", () => {
    const text = formatJobTable([summarizeJob(singleObjectiveJob())], { withNamespace: false, nowMs: NOW });
    expect(text).toBe(
      [
        "NAME    PHASE     TRIALS   BEST            STRATEGY   AGE",
        "quick   Running   3/6      accuracy=0.95   Auto→TPE   5m",
        "",
      ].join("\n"),
    );
  });

  test("--all-namespaces adds NAMESPACE; several objectives show the front; no status yet shows <none>", () => {
    const jobs = [singleObjectiveJob(), multiObjectiveJob(), fresh].map(summarizeJob);
    const lines = formatJobTable(jobs, { withNamespace: true, nowMs: NOW }).trimEnd().split("\n");
    expect(lines.map((l) => l.split(/\s{2,}/))).toEqual([
      ["NAMESPACE", "NAME", "PHASE", "TRIALS", "BEST", "STRATEGY", "AGE"],
      ["team-a", "quick", "Running", "3/6", "accuracy=0.95", "Auto→TPE", "5m"],
      ["team-a", "mo", "Running", "3/6", "front=2 hv=0.1235", "NSGA2", "5m"],
      ["team-b", "fresh", "<none>", "0/3", "<none>", "Auto", "30s"],
    ]);
  });
});

describe("hypertune get -o json: one summary per job", () => {
  test("finished and maxTrials from status.progress, best by the first objective, both strategies", () => {
    expect(summarizeJob(singleObjectiveJob())).toEqual({
      namespace: "team-a",
      name: "quick",
      phase: "Running",
      finished: 3,
      maxTrials: 6,
      best: { trial: "quick-2", index: 2, metric: "accuracy", value: 0.95 },
      requestedStrategy: "Auto",
      strategy: "TPE",
      creationTimestamp: minutesAgo(5),
    });
    expect(summarizeJob(multiObjectiveJob()).paretoFront).toEqual({ size: 2, hypervolume: 0.123456 });
    expect(summarizeJob(fresh)).toMatchObject({ finished: 0, maxTrials: 3, requestedStrategy: "Auto" });
    expect(summarizeJob(fresh)).not.toHaveProperty("phase");
  });
});
