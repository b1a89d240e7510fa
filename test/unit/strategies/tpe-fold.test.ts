// TPE's fold (src/strategies/tpe/fold.ts) keeps a job's finished trials between
// suggestions. It must never change an answer: along a job that grows, has
// trials finish in place (the local runner) or as new objects (the operator),
// fail, stop early, or vanish (deleted Trials), the suggestions made with the
// job's memo equal those made from scratch, as a restarted operator would.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ObjectiveSpec, ParameterValues, TrialObservation } from "../../../src/api/index.js";
import { type StrategyMemo, type SuggestRequest, tpeStrategy } from "../../../src/strategies/index.js";
import { makeRequest } from "./fixtures.js";

const PARAMETERS = [
  { name: "lr", type: "Float" as const, min: 1e-4, max: 1, scale: "Log" as const },
  { name: "layers", type: "Int" as const, min: 1, max: 6, scale: "Linear" as const, step: 1 },
  { name: "opt", type: "Categorical" as const, values: ["sgd", "adam"] },
];
const SECOND: ObjectiveSpec = { name: "cost", direction: "Maximize", reduction: "Last" };

function lossOf(values: ParameterValues, index: number): Record<string, number> {
  const lr = values.lr as number;
  const loss =
    Math.abs(Math.log10(lr) + 2) + (values.layers as number) / 10 + (values.opt === "adam" ? 0 : 0.3);
  return { loss: loss + (index % 7) / 100, cost: 3 - loss / 2 };
}

/** Fresh objects for every trial: nothing any cache holds applies (a cold start). */
const cold = (history: readonly TrialObservation[]) => history.map((t) => structuredClone(t));

function runJob(actions: readonly number[], objectives: number, seed: number): void {
  const base = makeRequest(PARAMETERS, [], seed);
  const request: Omit<SuggestRequest, "history" | "indices"> = {
    ...base,
    spec: { ...base.spec, search: { ...base.spec.search, startupTrials: 4 } },
    objectives: objectives === 1 ? base.objectives : [...base.objectives, SECOND],
  };
  const memo: StrategyMemo = new Map();
  let history: TrialObservation[] = [];
  let next = 0;
  const running = () => history.filter((t) => t.phase === "Running");
  for (const action of actions) {
    const kind = action % 6;
    const pick = Math.floor(action / 6);
    if (kind <= 1 || running().length === 0) {
      const indices = Array.from({ length: 1 + (pick % 3) }, (_, i) => next + i);
      const warm = tpeStrategy.suggest({ ...request, history, indices, memo });
      expect(warm).toEqual(tpeStrategy.suggest({ ...request, history: cold(history), indices }));
      for (const [i, values] of warm.entries()) {
        history.push({
          index: next + i,
          parameters: values as ParameterValues,
          phase: "Running",
          history: [],
          createdAt: next + i,
        });
      }
      next += indices.length;
      continue;
    }
    const trial = running()[pick % running().length] as TrialObservation;
    const metrics = lossOf(trial.parameters, trial.index);
    const report = [{ step: 1 + (pick % 4), values: metrics }];
    if (kind === 2) {
      // The local runner: the same object, its fields replaced.
      Object.assign(trial, { phase: "Succeeded", metrics, history: report });
    } else if (kind === 3) {
      // The operator: a new observation object for the changed Trial.
      history = history.map((t) =>
        t === trial ? { ...t, phase: "Succeeded", metrics, history: report } : t,
      );
    } else if (kind === 4) {
      Object.assign(trial, { phase: pick % 2 ? "Failed" : "EarlyStopped", history: report });
    } else {
      // A finished Trial deleted (or a running one): gone from the history.
      const finished = history.filter((t) => t.phase !== "Running");
      const gone = finished.length > 0 ? finished[pick % finished.length] : trial;
      history = history.filter((t) => t !== gone);
    }
  }
}

describe("TPE's fold of a job's trials", () => {
  it.each([1, 2])("suggests the same with the job's memo as from scratch (%i objective(s))", (objectives) => {
    fc.assert(
      fc.property(fc.array(fc.nat(60), { minLength: 10, maxLength: 70 }), fc.nat(1_000), (actions, seed) =>
        runJob(actions, objectives, seed),
      ),
      { numRuns: 25 },
    );
  });

  it("stays the same past the kernel cap, with hundreds of trials finishing out of order", () => {
    const actions = Array.from({ length: 1_400 }, (_, i) => ((i * 7919) % 61) + (i % 5 === 0 ? 0 : 2));
    runJob(actions, 1, 3);
  });
});
