import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { findPrimaryContainer, parseTuningJob } from "../../../src/api/index.js";

const examples = join(import.meta.dirname, "../../../examples");
const files = readdirSync(examples, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => join(examples, entry.name, "tuningjob.yaml"))
  .filter((file) => {
    try {
      return readFileSync(file).length > 0;
    } catch {
      return false;
    }
  });

type Json = Record<string, unknown>;

describe.each(files)("%s", (file) => {
  const document = parse(readFileSync(file, "utf8")) as unknown;

  it("is a valid TuningJob", () => {
    const parsed = parseTuningJob(document);
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
  });

  it("meets the restricted Pod Security Standard", () => {
    const parsed = parseTuningJob(document);
    if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
    const template = parsed.value.spec.trialTemplate;
    const pod = ((template.job as Json).template as Json).spec as Json;
    const podSecurity = (pod.securityContext ?? {}) as Json;
    expect(podSecurity.runAsNonRoot).toBe(true);
    expect(podSecurity.seccompProfile).toEqual({ type: "RuntimeDefault" });
    for (const container of pod.containers as Json[]) {
      const security = (container.securityContext ?? {}) as Json;
      expect(security.allowPrivilegeEscalation).toBe(false);
      expect(security.capabilities).toEqual({ drop: ["ALL"] });
    }
    expect("error" in findPrimaryContainer(template.job, template.primaryContainer)).toBe(false);
  });
});

it("finds the examples, the cluster-ready ones included", () => {
  const names = files.map((file) => file.split("/").at(-2));
  expect(names).toEqual(expect.arrayContaining(["quickstart", "sklearn", "gpu"]));
});

it("the GPU example asks for one GPU per trial and tolerates the GPU taint", () => {
  const document = parse(readFileSync(join(examples, "gpu", "tuningjob.yaml"), "utf8")) as unknown;
  const parsed = parseTuningJob(document);
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  const template = parsed.value.spec.trialTemplate;
  expect(template.gpus).toBe(1);
  const pod = ((template.job as Json).template as Json).spec as Json;
  expect(pod.tolerations).toContainEqual(
    expect.objectContaining({ key: template.gpuResource, operator: "Exists" }),
  );
});
