/**
 * Where a cold server's first /api/job goes, in a fresh process as the
 * server's is: reading the state folder (job.json, trials.jsonl rebuilt by
 * the runner's reader), building the view, and its JSON. With `importance`,
 * the view's PED-ANOVA alone, cold, instead of the whole view.
 *
 *   node --import tsx server-parts.ts STATE_ROOT JOB [importance]
 *
 * Prints one JSON line of milliseconds.
 */
import { parameterImportance } from "../../src/analysis/index.js";
import { objectivesOf } from "../../src/api/index.js";
import { LocalJobSource } from "../../src/dashboard/local-source.js";
import { buildJobView } from "../../src/dashboard/view.js";
import { rankableTrials } from "../../src/engine/index.js";

const [root = "", name = "", mode = "view"] = process.argv.slice(2);
let t = performance.now();
const lap = () => {
  const now = performance.now();
  const ms = now - t;
  t = now;
  return Math.round(ms);
};
const job = await new LocalJobSource(root).job(name);
if (!job) throw new Error(`no job ${name} in ${root}`);
const readMs = lap();
if (mode === "importance") {
  const objectives = objectivesOf(job.spec);
  const ranked = rankableTrials(job.spec, job.trials, objectives);
  lap();
  parameterImportance(
    job.spec.parameters,
    ranked.map((r) => ({ parameters: r.parameters, value: r.objectiveValue })),
    objectives[0]?.direction ?? "Minimize",
  );
  process.stdout.write(`${JSON.stringify({ readMs, importanceMs: lap() })}\n`);
} else {
  const view = buildJobView(job);
  const viewMs = lap();
  JSON.stringify(view);
  process.stdout.write(`${JSON.stringify({ readMs, viewMs, jsonMs: lap() })}\n`);
}
