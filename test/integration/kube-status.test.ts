// Patch helpers and error classification against the project's CRDs on a real
// API server: createIgnoringExists, merge patches of a CR and of its /status,
// jsonEqual after a write, and what the server really answers for conflicts,
// existing objects and missing ones.
import { resolve } from "node:path";
import { CustomObjectsApi, type KubernetesObject } from "@kubernetes/client-node";
import { beforeAll, describe, expect, it } from "vitest";
import { jsonEqual } from "../../src/api/index.js";
import {
  createIgnoringExists,
  isAlreadyExists,
  isConflict,
  isNotFound,
  isTerminal,
  mergePatch,
  mergePatchStatus,
  type ResourceRef,
  statusCodeOf,
} from "../../src/kube/index.js";
import { applyCrds, readCrds } from "../cluster/crds.js";
import { fileNamespace, testKubeConfig } from "./kube-helpers.js";

const kc = testKubeConfig();
const custom = kc.makeApiClient(CustomObjectsApi);
let namespace = "";

type Trial = KubernetesObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> };

beforeAll(async () => {
  await applyCrds(kc, await readCrds(resolve(import.meta.dirname, "..", "..", "crds")));
});
fileNamespace(kc, "kube-status", (name) => {
  namespace = name;
});

const trials = () => ({ group: "hypertune.dev", version: "v1alpha1", plural: "trials", namespace });
const trialBody = (name: string): Trial => ({
  apiVersion: "hypertune.dev/v1alpha1",
  kind: "Trial",
  metadata: { name, namespace, labels: { "hypertune.dev/job": "sample" } },
  spec: { tuningJob: "sample", index: 0, parameters: { lr: 0.01 } },
});

/** What the caught error of `promise` is. */
async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

describe("patch helpers on a custom resource", () => {
  it("createIgnoringExists creates once and then reports the object exists", async () => {
    const first = await createIgnoringExists(kc, trials(), trialBody("trial-0"));
    expect(first.created).toBe(true);
    if (first.created) expect(first.object.metadata?.uid).toBeTruthy();
    expect(await createIgnoringExists(kc, trials(), trialBody("trial-0"))).toEqual({ created: false });
  });

  it("mergePatchStatus writes /status only, mergePatch the main resource, and jsonEqual then sees no change", async () => {
    await createIgnoringExists(kc, trials(), trialBody("trial-1"));
    const ref: ResourceRef = { ...trials(), name: "trial-1" };
    const desired = { phase: "Running", message: "started by the kube-status test" };

    const before = (await custom.getNamespacedCustomObject({ ...ref, namespace })) as Trial;
    expect(jsonEqual(before.status ?? {}, desired)).toBe(false);
    const patched = await mergePatchStatus<Trial>(kc, ref, desired);
    expect(patched.status).toMatchObject(desired);
    expect(patched.spec).toEqual(trialBody("trial-1").spec);

    const read = (await custom.getNamespacedCustomObject({ ...ref, namespace })) as Trial;
    expect(jsonEqual(read.status, { message: desired.message, phase: desired.phase })).toBe(true);

    // Removing a field: null in the merge patch, and the server drops it.
    const trimmed = await mergePatchStatus<Trial>(kc, ref, { message: null });
    expect(trimmed.status?.message).toBeUndefined();
    expect(trimmed.status?.phase).toBe("Running");

    // The main resource: labels change, status sent there is ignored.
    const main = await mergePatch<Trial>(kc, ref, {
      metadata: { labels: { extra: "yes" } },
      status: { phase: "Failed" },
    });
    expect(main.metadata?.labels).toMatchObject({ extra: "yes", "hypertune.dev/job": "sample" });
    expect(main.status?.phase).toBe("Running");
  });

  it("classifies the server's real errors: Conflict, AlreadyExists, NotFound, Invalid", async () => {
    await createIgnoringExists(kc, trials(), trialBody("trial-2"));
    const ref = { ...trials(), name: "trial-2" };
    const stale = (await custom.getNamespacedCustomObject({ ...ref, namespace })) as Trial;
    await mergePatch(kc, ref, { metadata: { labels: { bump: "1" } } });

    const conflict = await failureOf(custom.replaceNamespacedCustomObject({ ...ref, body: stale }));
    expect(statusCodeOf(conflict)).toBe(409);
    expect(isConflict(conflict)).toBe(true);
    expect(isAlreadyExists(conflict)).toBe(false);
    expect(isTerminal(conflict)).toBe(false);

    const exists = await failureOf(
      custom.createNamespacedCustomObject({ ...trials(), body: trialBody("trial-2") }),
    );
    expect(isAlreadyExists(exists)).toBe(true);
    expect(isConflict(exists)).toBe(false);

    const missing = await failureOf(
      mergePatchStatus(kc, { ...trials(), name: "no-such-trial" }, { phase: "Running" }),
    );
    expect(isNotFound(missing)).toBe(true);
    expect(isTerminal(missing)).toBe(false);

    const invalid = await failureOf(mergePatchStatus(kc, ref, { phase: "NotAPhase" }));
    expect(statusCodeOf(invalid)).toBe(422);
    expect(isTerminal(invalid)).toBe(true);
  });
});
