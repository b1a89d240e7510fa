// GitOps for real: TuningJobs committed to a git repository served on
// loopback, applied by Flux's own source-controller and kustomize-controller,
// run by the chart-installed operator on the real node, and judged by
// Flux's health checks and by Argo CD's own health code (argocd-health).
// The Kustomizations are the README's GitOps snippets.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { V1Pod } from "@kubernetes/client-node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { clients, jobsOf, kubectl } from "../integration/operator-helpers.js";
import { argocdHealth } from "../support/argocd-health.js";
import { type GitServer, startGitServer } from "../support/git-server.js";
import { type Json, tuningJobs, waitForPhase } from "../support/tuningjob-api.js";
import { waitFor } from "../support/wait.js";
import { type Flux, startFlux } from "./flux.js";
import { installOperator, type Release } from "./operator-install.js";
import { containerTuningJob, restrictedNamespace } from "./pods.js";

const { core, batch, custom } = clients();
const FLUX_SOURCE = { group: "source.toolkit.fluxcd.io", version: "v1", plural: "gitrepositories" };
const FLUX_KUSTOMIZE = { group: "kustomize.toolkit.fluxcd.io", version: "v1", plural: "kustomizations" };

let flux: Flux | undefined;
let git: GitServer | undefined;
let release: Release | undefined;
const namespaces: string[] = [];
let namespace = "";
let api: ReturnType<typeof tuningJobs>;

let failed = false;
afterEach((context) => {
  if (context.task.result?.state === "fail") failed = true;
});

afterAll(async () => {
  await flux?.stop({ keepLogs: failed });
  await git?.close();
  await release?.uninstall();
  for (const name of namespaces) await core.deleteNamespace({ name }).catch(() => undefined);
});

/** A TuningJob as it would sit in git: no namespace (the Kustomization sets it), trials of `seconds`. */
function jobFile(name: string, spec: Json, seconds: number, exitCode = 0): string {
  const script =
    `const x = Number(process.argv[1]); setTimeout(() => { console.log("accuracy=" + x); ` +
    `process.exit(${exitCode}); }, ${seconds * 1000});`;
  return stringify(containerTuningJob(name, spec, script));
}

/**
 * The README's Kustomization (its GitOps section, parsed from there so the
 * docs are what runs), with this test's namespace, path and wait.
 */
function kustomization(name: string, path: string, wait: boolean): Json {
  const readme = readFileSync(resolve(import.meta.dirname, "..", "..", "README.md"), "utf8");
  const snippet = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => m[1] ?? "")
    .find((yaml) => yaml.includes("kind: Kustomization"));
  if (!snippet) throw new Error("README.md's GitOps section has no Kustomization");
  const documented = parse(snippet) as Json;
  return {
    ...documented,
    metadata: { name, namespace },
    spec: { ...documented.spec, path, targetNamespace: namespace, wait },
  };
}

const getFlux = (kind: typeof FLUX_SOURCE | typeof FLUX_KUSTOMIZE, name: string) =>
  custom.getNamespacedCustomObject({ ...kind, namespace, name }) as Promise<Json>;
const readyOf = (object: Json) => object.status?.conditions?.find((c: Json) => c.type === "Ready");

/** Asks Flux to reconcile `resource` (e.g. kustomization/health) now rather than at its interval; returns the request's token. */
async function requestReconcile(resource: string): Promise<string> {
  const token = `${Date.now()}`;
  await kubectl(
    "annotate",
    "--overwrite",
    "-n",
    namespace,
    resource,
    `reconcile.fluxcd.io/requestedAt=${token}`,
  );
  return token;
}

/** Commits, waits for Flux to fetch that revision, then asks `kustomizations` to apply it now. */
async function commitAndSync(
  message: string,
  files: Record<string, string | null>,
  kustomizations: string[],
) {
  const revision = await (git as GitServer).commit(message, files);
  await requestReconcile("gitrepository/tuning");
  await waitFor(
    `GitRepository at ${revision}`,
    async () =>
      (await getFlux(FLUX_SOURCE, "tuning")).status?.artifact?.revision?.endsWith(revision)
        ? true
        : undefined,
    60_000,
    250,
  );
  for (const name of kustomizations) await requestReconcile(`kustomization/${name}`);
  return revision;
}

/** Waits until the Kustomization applied `revision` (or tried to) and its Ready condition matches. */
function kustomizationReady(name: string, revision: string, status: "True" | "False", timeoutMs = 180_000) {
  return waitFor(
    `Kustomization ${name} Ready=${status} at ${revision}`,
    async () => {
      const k = await getFlux(FLUX_KUSTOMIZE, name);
      const ready = readyOf(k);
      const attempted: string = k.status?.lastAttemptedRevision ?? "";
      return attempted.endsWith(revision) && ready?.status === status ? k : undefined;
    },
    timeoutMs,
    250,
  );
}

async function events(name: string, reason: string) {
  const list = await core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${name}` });
  return list.items.filter((e) => e.reason === reason);
}

beforeAll(async () => {
  const system = await restrictedNamespace(core, "ht-gitops-sys");
  namespace = await restrictedNamespace(core, "ht-gitops");
  namespaces.push(system, namespace);
  api = tuningJobs(custom, namespace);
  release = await installOperator(core, "htgo", system);
  git = await startGitServer();
  // Each Kustomization's folder outlives its last TuningJob (git keeps no empty folders).
  await git.commit("empty start", {
    "health/README.md": "TuningJobs whose health the Kustomization waits for\n",
    "edits/README.md": "TuningJobs edited in place\n",
  });
  flux = await startFlux();
  await custom.createNamespacedCustomObject({
    ...FLUX_SOURCE,
    namespace,
    body: {
      apiVersion: "source.toolkit.fluxcd.io/v1",
      kind: "GitRepository",
      metadata: { name: "tuning", namespace },
      spec: { interval: "10m", url: git.url, ref: { branch: "main" } },
    },
  });
  for (const [name, path, wait] of [
    ["health", "./health", true],
    ["edits", "./edits", false],
  ] as const) {
    await custom.createNamespacedCustomObject({
      ...FLUX_KUSTOMIZE,
      namespace,
      body: kustomization(name, path, wait),
    });
  }
}, 300_000);

describe("Flux delivers TuningJobs from git", () => {
  it("applies a committed TuningJob, which runs to Complete; the Kustomization waits for it to be Ready", async () => {
    const revision = await commitAndSync(
      "add a tuning job",
      { "health/quick.yaml": jobFile("quick", { limits: { maxTrials: 3, parallelism: 1 } }, 1) },
      ["health"],
    );
    // While the job runs, Flux's health check holds the Kustomization back.
    const running = await waitFor(
      "TuningJob quick running",
      async () => {
        const tj = await api.get("quick").catch(() => undefined);
        return tj?.status?.phase === "Running" ? tj : undefined;
      },
      60_000,
      200,
    );
    expect((await argocdHealth(running)).status).toBe("Progressing");
    const whileRunning = readyOf(await getFlux(FLUX_KUSTOMIZE, "health"));
    expect(whileRunning?.status).not.toBe("True");

    const k = await kustomizationReady("health", revision, "True");
    const done = await waitForPhase(api, "quick", "Complete");
    expect(Date.parse(readyOf(k).lastTransitionTime)).toBeGreaterThanOrEqual(
      Math.floor(Date.parse(done.status.completionTime) / 1000) * 1000,
    );
    expect(done.status.trials).toMatchObject({ created: 3, succeeded: 3 });
    expect(await argocdHealth(done)).toEqual({
      status: "Healthy",
      message: done.status.conditions.find((c: Json) => c.type === "Complete").message,
    });
  });

  it("sees no drift once the job is done: the operator wrote only status, and a new sync changes nothing", async () => {
    const before = await api.get("quick");
    // Every write but Flux's own apply went to the status subresource.
    const writers = (before.metadata.managedFields as Json[]).filter((f) => f.subresource !== "status");
    expect(writers.map((f) => f.manager)).toEqual(["kustomize-controller"]);

    const token = await requestReconcile("kustomization/health");
    await waitFor(
      "Kustomization health to handle the sync request",
      async () => {
        const k = await getFlux(FLUX_KUSTOMIZE, "health");
        return k.status?.lastHandledReconcileAt === token && readyOf(k)?.status === "True" ? k : undefined;
      },
      120_000,
      250,
    );
    const after = await api.get("quick");
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(after.metadata.generation).toBe(before.metadata.generation);
  });

  it("reports a Failed TuningJob as a failed health check, and Argo CD as Degraded, with the status's message", async () => {
    const revision = await commitAndSync(
      "add a job whose trials fail",
      {
        "health/broken.yaml": jobFile(
          "broken",
          { limits: { maxTrials: 3, parallelism: 1, maxFailedTrials: 0 } },
          0,
          1,
        ),
      },
      ["health"],
    );
    const k = await kustomizationReady("health", revision, "False");
    expect(readyOf(k)).toMatchObject({ reason: "HealthCheckFailed" });
    expect(readyOf(k).message).toContain("broken");
    const failed = await waitForPhase(api, "broken", "Failed");
    const failure = failed.status.conditions.find((c: Json) => c.type === "Failed");
    expect(failed.status.conditions.find((c: Json) => c.type === "Stalled")).toMatchObject({
      status: "True",
    });
    expect(await argocdHealth(failed)).toEqual({ status: "Degraded", message: failure.message });
  });
});

describe("edits in git", () => {
  const file = (spec: Json) => ({ "edits/tune.yaml": jobFile("tune", spec, 3) });

  it("suspend, then more trials and more at once: each takes effect on the running job, with an Event", async () => {
    let revision = await commitAndSync("add a slow job", file({ limits: { maxTrials: 2, parallelism: 1 } }), [
      "edits",
    ]);
    await kustomizationReady("edits", revision, "True");
    await waitFor(
      "a trial of tune",
      async () => ((await api.trials("tune")).length > 0 ? true : undefined),
      60_000,
      200,
    );

    revision = await commitAndSync(
      "pause it",
      file({ limits: { maxTrials: 2, parallelism: 1 }, suspend: true }),
      ["edits"],
    );
    await kustomizationReady("edits", revision, "True");
    const suspended = await waitFor(
      "tune Suspended",
      async () => {
        const tj = await api.get("tune");
        return tj.status?.phase === "Suspended" && tj.status?.observedGeneration === tj.metadata.generation
          ? tj
          : undefined;
      },
      60_000,
      200,
    );
    expect(await argocdHealth(suspended)).toMatchObject({ status: "Suspended" });
    expect(await events("tune", "Suspended")).toHaveLength(1);

    revision = await commitAndSync(
      "resume with a bigger budget",
      file({ limits: { maxTrials: 4, parallelism: 2 }, suspend: false }),
      ["edits"],
    );
    await kustomizationReady("edits", revision, "True");
    let mostAtOnce = 0;
    const done = await waitFor(
      "tune Complete with 4 trials",
      async () => {
        const tj = await api.get("tune");
        mostAtOnce = Math.max(mostAtOnce, tj.status?.trials?.active ?? 0);
        return tj.status?.phase === "Complete" ? tj : undefined;
      },
      120_000,
      200,
    );
    expect(done.status.trials).toMatchObject({ created: 4, succeeded: 4 });
    expect(mostAtOnce).toBe(2);
    const changes = (await events("tune", "SpecChanged")).map((e) => e.message);
    expect(changes).toEqual(
      expect.arrayContaining([
        expect.stringContaining("maxTrials 2, parallelism 1, suspend true"),
        expect.stringContaining("maxTrials 4, parallelism 2, suspend false"),
      ]),
    );
  });

  it("an edit of what defines the search is refused at admission; Flux says why, the job is untouched", async () => {
    const before = await api.get("tune");
    const revision = await commitAndSync(
      "minimise instead",
      {
        "edits/tune.yaml": jobFile("tune", { limits: { maxTrials: 4, parallelism: 2 } }, 3).replace(
          "direction: Maximize",
          "direction: Minimize",
        ),
      },
      ["edits"],
    );
    const k = await kustomizationReady("edits", revision, "False");
    expect(readyOf(k).message).toContain("objective cannot change once the TuningJob exists");
    const after = await api.get("tune");
    expect(after.spec.objective.direction).toBe("Maximize");
    expect(after.metadata.generation).toBe(before.metadata.generation);
  });

  it("removing the file from git prunes the TuningJob and, through the garbage collector, its Trials, Jobs and pods", async () => {
    expect((await api.trials("tune")).length).toBe(4);
    const revision = await commitAndSync("done with it", { "edits/tune.yaml": null }, ["edits"]);
    await kustomizationReady("edits", revision, "True");
    await waitFor(
      "tune and everything of it gone",
      async () => {
        const job = await api.get("tune").catch(() => undefined);
        const trials = await api.trials("tune");
        const jobs = await jobsOf(batch, namespace, "tune");
        const pods: V1Pod[] = (
          await core.listNamespacedPod({ namespace, labelSelector: "hypertune.dev/job=tune" })
        ).items;
        return !job && trials.length === 0 && jobs.length === 0 && pods.length === 0 ? true : undefined;
      },
      120_000,
      500,
    );
  });
});

describe("Argo CD's health of a live Invalid TuningJob", () => {
  it("is Degraded with the reason the spec cannot run", async () => {
    const body = containerTuningJob("invalid", { earlyStopping: { rule: "Hyperband" } });
    await api.create(body);
    const invalid = await waitFor(
      "invalid Invalid",
      async () => {
        const tj = await api.get("invalid");
        return tj.status?.phase === "Invalid" ? tj : undefined;
      },
      60_000,
      200,
    );
    expect(await argocdHealth(invalid)).toEqual({
      status: "Degraded",
      message: expect.stringContaining("Hyperband needs maxResource"),
    });
  });
});
