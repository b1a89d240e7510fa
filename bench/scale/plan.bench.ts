/**
 * The operator's planning step alone, as one reconcile runs it: every Trial
 * the informer holds turned into an observation, then `plan()`, for a job of
 * n finished trials and `parallelism` running ones. Prints ms per reconcile
 * by strategy and n. Run: `npx tsx bench/scale/plan.bench.ts`
 * (BENCH_PLAN_SIZES, BENCH_PLAN_CALLS, BENCH_PLAN_STRATEGIES).
 */
import { pathToFileURL } from "node:url";
import { parseTuningJob, type Trial } from "../../src/api/index.js";
import { plan } from "../../src/engine/index.js";
import { observeTrial } from "../../src/operator/trial-observation.js";
import { createRng } from "../../src/space/index.js";
import { kwokLoss, kwokTuningJob } from "../../test/support/kwok-tuningjob.js";
import { percentile } from "../../test/support/stats.js";
import { markdownTable } from "../timing.js";

const SIZES = (process.env.BENCH_PLAN_SIZES ?? "1000,10000,50000").split(",").map(Number);
const CALLS = Number(process.env.BENCH_PLAN_CALLS ?? 20);
const STRATEGIES = (process.env.BENCH_PLAN_STRATEGIES ?? "Random,TPE").split(",");
const PARALLELISM = 200;

function trialObject(index: number, finished: boolean, rng: ReturnType<typeof createRng>): Trial {
  const parameters = { x: rng.next(), y: rng.next(), z: rng.next() };
  const loss = kwokLoss(parameters);
  return {
    apiVersion: "hypertune.dev/v1alpha1",
    kind: "Trial",
    metadata: { name: `scale-${index}`, creationTimestamp: new Date(1e12 + index * 1000).toISOString() },
    spec: { index, parameters },
    status: finished
      ? {
          phase: "Succeeded",
          history: [{ step: 1, values: { loss } }],
          metrics: { loss },
          objectiveValue: loss,
          completionTime: new Date(1e12 + index * 1000 + 500).toISOString(),
        }
      : { phase: "Running" },
  } as unknown as Trial;
}

export function runPlanBench(): string {
  const rows: string[][] = [];
  for (const strategy of STRATEGIES) {
    const resource = kwokTuningJob({
      name: "scale",
      trials: 100_000,
      parallelism: PARALLELISM,
      strategy,
      seed: 1,
      podDuration: "1s",
    });
    const parsed = parseTuningJob(resource);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    for (const size of SIZES) {
      const rng = createRng(7, size, 1);
      const trials = Array.from({ length: size + PARALLELISM - 1 }, (_, i) => trialObject(i, i < size, rng));
      const times: number[] = [];
      // The operator's per-job strategy memo, kept across its reconciles.
      const memo = new Map<string, unknown>();
      for (let call = 0; call < CALLS + 3; call++) {
        // Each reconcile parses the job afresh, as the operator does with the informer's object.
        const job = parseTuningJob(resource);
        if (!job.ok) throw new Error("invalid");
        const spec = { ...job.value.spec, search: { ...job.value.spec.search, seed: 1 } };
        const start = performance.now();
        plan(spec, trials.map(observeTrial), 2e12, 1e12, [], undefined, memo);
        if (call >= 3) times.push(performance.now() - start);
      }
      rows.push([
        strategy,
        size.toLocaleString("en"),
        percentile(times, 50).toFixed(1),
        percentile(times, 99).toFixed(1),
      ]);
    }
  }
  return markdownTable(
    "One reconcile's planning (ms): observe every Trial, then plan()",
    ["strategy", "finished trials", "p50", "p99"],
    rows,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) console.log(runPlanBench());
