// The contract behind "the same YAML runs locally": one TuningJob per
// metrics collector, run as it is by `hypertune run` (trials as processes on
// this machine) and by the operator installed from the chart (trials as
// containers on the real node), must give the same trials: indices,
// parameters, phases, reasons, messages, reduced metrics, the steps kept,
// early-stopping decisions, the best trial and the Pareto front.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { parseJsonResult, runCli, tempDir } from "../cli/helpers.js";
import { COLLECTORS, type Collector, differentialJob } from "../differential/scenario.js";
import { clients } from "../integration/operator-helpers.js";
import { type Json, tuningJobs, waitForPhase } from "../support/tuningjob-api.js";
import { installOperator, type Release } from "./operator-install.js";
import { restrictedNamespace } from "./pods.js";

/** The trainer's pause after each report: long enough for a stop to land before it goes on, on both backends. */
const PAUSE_MS = 2_500;

interface TrialOutcome {
  index: number;
  parameters: Json;
  phase: string;
  reason: string | null;
  message: string | null;
  metrics: Record<string, number>;
  steps: (number | undefined)[];
}

interface JobOutcome {
  succeeded: boolean;
  reason: string;
  best: string | null;
  paretoFront: string[];
  trials: TrialOutcome[];
}

const { core, custom } = clients();
let release: Release;
let system = "";
const namespaces: string[] = [];

beforeAll(async () => {
  system = await restrictedNamespace(core, "ht-diff-sys");
  release = await installOperator(core, "htdiff", system);
});
afterAll(async () => {
  await release?.uninstall();
  for (const name of [...namespaces, system]) await core.deleteNamespace({ name }).catch(() => undefined);
});

async function runLocally(doc: Json): Promise<JobOutcome> {
  const dir = tempDir("hypertune-diff-");
  const file = join(dir, "tuningjob.yaml");
  writeFileSync(file, stringify(doc));
  const stateRoot = join(dir, "state");
  const result = await runCli(["run", file, "--state-dir", stateRoot, "--output", "json"]);
  expect(result.stderr).not.toMatch(/error/i);
  const json = parseJsonResult(result.stdout);
  // The kept history of each trial, as its "finished" event recorded it.
  const finished = new Map<number, Json>();
  for (const line of readFileSync(join(stateRoot, doc.metadata.name, "trials.jsonl"), "utf8").split("\n")) {
    const event = line.trim() === "" ? undefined : (JSON.parse(line) as Json);
    if (event?.event === "finished") finished.set(event.index, event);
  }
  return {
    succeeded: json.status === "Succeeded",
    reason: json.reason,
    best: json.bestTrial?.name ?? null,
    paretoFront: (json.paretoFront ?? []).map((t: Json) => t.name),
    trials: json.trials.map((t) => ({
      index: t.index,
      parameters: t.parameters,
      phase: t.phase,
      reason: t.reason,
      message: t.message,
      metrics: t.metrics,
      steps: (finished.get(t.index)?.history ?? []).map((r: Json) => r.step),
    })),
  };
}

async function runOnCluster(doc: Json, collector: Collector): Promise<JobOutcome> {
  const namespace = await restrictedNamespace(core, `diff-${collector.toLowerCase()}`);
  namespaces.push(namespace);
  const api = tuningJobs(custom, namespace);
  await api.create(doc);
  const job = await waitForPhase(api, doc.metadata.name, "Complete", 300_000);
  const trials = (await api.trials(doc.metadata.name)).sort((a, b) => a.spec.index - b.spec.index);
  const complete = job.status.conditions.find((c: Json) => c.type === "Complete");
  return {
    succeeded: complete?.status === "True",
    reason: complete?.reason,
    best: job.status.bestTrial?.name ?? null,
    paretoFront: (job.status.paretoFront ?? []).map((t: Json) => t.name),
    trials: trials.map((t) => ({
      index: t.spec.index,
      parameters: t.spec.parameters,
      phase: t.status.phase,
      reason: t.status.reason ?? null,
      message: t.status.message ?? null,
      metrics: t.status.metrics ?? {},
      steps: (t.status.history ?? []).map((r: Json) => r.step),
    })),
  };
}

describe("the same TuningJob through hypertune run and through the operator", () => {
  // Both backends of all three jobs at once: about two minutes in all.
  const runs = new Map<Collector, Promise<[JobOutcome, JobOutcome]>>();
  const both = (collector: Collector) => {
    let run = runs.get(collector);
    if (!run) {
      const doc = differentialJob(collector, PAUSE_MS);
      run = Promise.all([runLocally(structuredClone(doc)), runOnCluster(structuredClone(doc), collector)]);
      runs.set(collector, run);
    }
    return run;
  };
  beforeAll(() => {
    for (const c of COLLECTORS) void both(c).catch(() => undefined);
  });

  for (const collector of COLLECTORS) {
    it(`${collector}: the same trials, best trial and Pareto front`, async () => {
      const [local, cluster] = await both(collector);
      expect(cluster).toEqual(local);
      // The scenario covers what it claims to: every way a trial ends, and a conditional parameter both ways.
      const phases = new Set(local.trials.map((t) => t.phase));
      for (const phase of ["Succeeded", "Failed", "MetricsUnavailable"]) expect(phases).toContain(phase);
      // Early stopping needs intermediate values; a termination message has only final ones, on both backends.
      if (collector === "TerminationMessage") expect(phases).not.toContain("EarlyStopped");
      else expect(phases).toContain("EarlyStopped");
      expect(new Set(local.trials.map((t) => t.parameters.kind))).toEqual(new Set(["plain", "boosted"]));
      expect(local.succeeded).toBe(true);
      expect(local.paretoFront.length).toBeGreaterThan(1);
    }, 400_000);
  }
});
