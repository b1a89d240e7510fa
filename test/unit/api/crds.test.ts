import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderCrds } from "../../../src/api/index.js";

const crdDir = new URL("../../../crds/", import.meta.url);

describe("generated CRDs", () => {
  it("match the committed files in crds/ (run `npm run gen:crds` after changing src/api)", () => {
    for (const { fileName, yaml } of renderCrds()) {
      expect(readFileSync(new URL(fileName, crdDir), "utf8"), fileName).toBe(yaml);
    }
  });

  it("describe every field and keep unknown fields only where values are free-form", () => {
    const undocumented: string[] = [];
    const preserved: string[] = [];
    const walk = (node: Record<string, unknown>, path: string) => {
      if (node["x-kubernetes-preserve-unknown-fields"]) preserved.push(path);
      const props = (node.properties ?? {}) as Record<string, Record<string, unknown>>;
      for (const [key, child] of Object.entries(props)) {
        if (!["apiVersion", "kind", "metadata"].includes(key) && !child.description)
          undocumented.push(`${path}.${key}`);
        walk(child, `${path}.${key}`);
      }
      if (node.items) walk(node.items as Record<string, unknown>, `${path}[]`);
      if (typeof node.additionalProperties === "object")
        walk(node.additionalProperties as Record<string, unknown>, `${path}{}`);
    };
    for (const { yaml } of renderCrds()) {
      const doc = parse(yaml);
      walk(doc.spec.versions[0].schema.openAPIV3Schema, doc.spec.names.kind);
    }
    expect(undocumented).toEqual([]);
    expect(preserved.sort()).toEqual([
      "Trial.spec.parameters",
      "TuningJob.spec.parameters[].values[]",
      "TuningJob.spec.parameters[].when{}",
      "TuningJob.spec.trialTemplate.job",
      "TuningJob.status.bestTrial.parameters",
      "TuningJob.status.paretoFront[].parameters",
      "TuningJob.status.retention.sample[].parameters",
    ]);
  });

  it("declare the status subresource, short name, category and printer columns", () => {
    const [tuningJobs] = renderCrds().map((f) => parse(f.yaml));
    expect(tuningJobs.spec.names.shortNames).toEqual(["tj"]);
    expect(tuningJobs.spec.names.categories).toEqual(["hypertune"]);
    const version = tuningJobs.spec.versions[0];
    expect(version.subresources).toEqual({ status: {} });
    expect(version.additionalPrinterColumns.map((c: { name: string }) => c.name)).toEqual([
      "Phase",
      "Trials",
      "Best",
      "Strategy",
      "Age",
    ]);
  });
});
