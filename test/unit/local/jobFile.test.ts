import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseJobFileText } from "../../../src/local/index.js";

const JOB = readFileSync(new URL("../../../examples/quickstart/tuningjob.yaml", import.meta.url), "utf8");
const DEPLOYMENT = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 1}\n";
const KUSTOMIZATION =
  "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [job.yaml]\n";

describe("parseJobFileText with skipOtherKinds", () => {
  it("skips documents of other kinds with a note and keeps the TuningJobs", () => {
    const outcome = parseJobFileText(`${DEPLOYMENT}---\n${JOB}---\n${KUSTOMIZATION}`, {
      skipOtherKinds: true,
    });
    expect(outcome).toMatchObject({
      ok: true,
      jobs: [{ metadata: { name: "quickstart-digits" } }],
      skipped: [
        'document 1: apps/v1 Deployment "web" is not a TuningJob (hypertune.dev), skipped',
        "document 3: kustomize.config.k8s.io/v1beta1 Kustomization is not a TuningJob (hypertune.dev), skipped",
      ],
    });
  });

  it("skips a TuningJob of another API group, but judges one of another hypertune.dev version", () => {
    const foreign = JOB.replace("hypertune.dev/v1alpha1", "example.com/v1");
    expect(parseJobFileText(foreign, { skipOtherKinds: true })).toMatchObject({ ok: true, jobs: [] });
    const newer = JOB.replace("hypertune.dev/v1alpha1", "hypertune.dev/v2");
    expect(parseJobFileText(newer, { skipOtherKinds: true })).toMatchObject({
      ok: false,
      errors: [expect.stringContaining("apiVersion")],
    });
  });

  it("still judges a document without a kind as a TuningJob", () => {
    const outcome = parseJobFileText("metadata: {name: x}\nspec: {}\n", { skipOtherKinds: true });
    expect(outcome.ok).toBe(false);
  });

  it("judges every document as a TuningJob without the option", () => {
    const outcome = parseJobFileText(`${DEPLOYMENT}---\n${JOB}`);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.errors[0]).toMatch(/^document 1: apiVersion/);
  });
});
