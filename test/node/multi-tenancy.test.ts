// Multi-tenancy with the chart installed for real: a TuningJob runs only as
// far as the one who asked may go. ServiceAccounts with their own tokens
// create TuningJobs; the chart's MutatingAdmissionPolicy records who they
// are; the operator asks the API server before it creates any trial. The
// cluster-wide install impersonates requesters (the operator may not create
// Jobs at all); the namespaced one creates Jobs itself, after asking.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AuthorizationV1Api,
  CustomObjectsApi,
  PatchStrategy,
  RbacAuthorizationV1Api,
  setHeaderOptions,
  type V1PolicyRule,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REQUESTED_BY, REQUESTED_BY_GROUPS } from "../../src/operator/requester.js";
import { serviceAccountKubeconfig } from "../integration/chart-helpers.js";
import { clients, jobsOf } from "../integration/operator-helpers.js";
import { type Json, tuningJobs, waitForPhase } from "../support/tuningjob-api.js";
import { waitFor } from "../support/wait.js";
import { installOperator, type Release } from "./operator-install.js";
import { containerTuningJob, restrictedNamespace } from "./pods.js";

const { kc, core, batch, custom } = clients();
const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
const authorization = kc.makeApiClient(AuthorizationV1Api);
const home = mkdtempSync(join(tmpdir(), "hypertune-mt-"));
const namespaces: string[] = [];
let release: Release | undefined;

afterAll(async () => {
  await release?.uninstall();
  for (const name of namespaces) await core.deleteNamespace({ name }).catch(() => undefined);
});

const TUNINGJOBS = {
  apiGroups: ["hypertune.dev"],
  resources: ["tuningjobs"],
  verbs: ["create", "get", "list", "watch", "patch"],
};
const JOBS = { apiGroups: ["batch"], resources: ["jobs"], verbs: ["create"] };

/** A ServiceAccount with a Role of `rules` (one RoleBinding per rule, so one can be revoked), and a client with its token. */
async function account(namespace: string, name: string, rules: V1PolicyRule[]) {
  await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name } } });
  for (const [i, rule] of rules.entries()) {
    const role = `${name}-${i}`;
    await rbac.createNamespacedRole({ namespace, body: { metadata: { name: role }, rules: [rule] } });
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name: role },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role },
        subjects: [{ kind: "ServiceAccount", name, namespace }],
      },
    });
  }
  const own = await serviceAccountKubeconfig(core, kc, namespace, name, join(home, `${namespace}-${name}`));
  return {
    username: `system:serviceaccount:${namespace}:${name}`,
    api: tuningJobs(own.makeApiClient(CustomObjectsApi), namespace),
    revoke: (i: number) => rbac.deleteNamespacedRoleBinding({ namespace, name: `${name}-${i}` }),
  };
}

/** Trials of `seconds` each that report accuracy = x. */
function job(name: string, maxTrials: number, seconds = 0, extra: Json = {}): Json {
  const script = `const x = Number(process.argv[1]); setTimeout(() => console.log("accuracy=" + x), ${seconds * 1000});`;
  const body = containerTuningJob(name, { limits: { maxTrials, parallelism: 1 }, ...extra }, script);
  return body;
}

/** A merge patch of a TuningJob with the harness's admin credentials. */
function patchAsAdmin(namespace: string, name: string, body: Json) {
  return custom.patchNamespacedCustomObject(
    { group: "hypertune.dev", version: "v1alpha1", namespace, plural: "tuningjobs", name, body },
    setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
  );
}

const conditionOf = (tj: Json, type: string) => tj.status?.conditions?.find((c: Json) => c.type === type);

async function expectForbidden(
  admin: ReturnType<typeof tuningJobs>,
  namespace: string,
  name: string,
  who: string,
) {
  const failed = await waitForPhase(admin, name, "Failed", 120_000);
  expect(conditionOf(failed, "Failed")).toMatchObject({
    reason: "Forbidden",
    message: expect.stringContaining(`${who} may not create jobs.batch in namespace ${namespace}`),
  });
  expect(await admin.trials(name)).toEqual([]);
  expect(await jobsOf(batch, namespace, name)).toEqual([]);
  const events = await core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${name}` });
  expect(events.items.filter((e) => e.reason === "Forbidden" && e.type === "Warning")).toHaveLength(1);
}

describe("cluster-wide install, impersonating (multiTenancy.impersonate)", () => {
  let namespace = "";
  let operator = "";
  let admin: ReturnType<typeof tuningJobs>;
  beforeAll(async () => {
    const system = await restrictedNamespace(core, "ht-mt-sys");
    namespace = await restrictedNamespace(core, "ht-mt");
    namespaces.push(system, namespace);
    // The stricter mode, so every case below also proves the Jobs were created as the requester.
    release = await installOperator(core, "htmt", system, ["--set", "multiTenancy.impersonate=true"]);
    operator = `system:serviceaccount:${system}:htmt-hypertune`;
    admin = tuningJobs(custom, namespace);
  });

  it("impersonating, the operator itself may not create Jobs", async () => {
    const review = await authorization.createSubjectAccessReview({
      body: {
        spec: {
          user: operator,
          groups: ["system:serviceaccounts"],
          resourceAttributes: { namespace, verb: "create", group: "batch", resource: "jobs" },
        },
      },
    });
    expect(review.status?.allowed).toBe(false);
  });

  it("one allowed TuningJobs but not Jobs: no trial workload is ever created; the status and an Event say why", async () => {
    const author = await account(namespace, "author", [TUNINGJOBS]);
    await author.api.create(job("not-mine", 2));
    await expectForbidden(admin, namespace, "not-mine", author.username);
    expect((await admin.get("not-mine")).metadata.annotations[REQUESTED_BY]).toBe(author.username);
  });

  it("one allowed both: the job runs to Complete, its Jobs created as that requester", async () => {
    const trainer = await account(namespace, "trainer", [TUNINGJOBS, JOBS]);
    await trainer.api.create(job("mine", 2));
    const done = await waitForPhase(admin, "mine", "Complete", 180_000);
    expect(done.status.trials.succeeded).toBe(2);
  });

  it("a forged requester annotation is overwritten, and an edit of it alone is put back", async () => {
    const forger = await account(namespace, "forger", [TUNINGJOBS]);
    const forged = job("forged", 1, 0, { suspend: true });
    forged.metadata.annotations = { [REQUESTED_BY]: "system:admin", [REQUESTED_BY_GROUPS]: "system:masters" };
    await forger.api.create(forged);
    const stored = await admin.get("forged");
    expect(stored.metadata.annotations[REQUESTED_BY]).toBe(forger.username);
    expect(stored.metadata.annotations[REQUESTED_BY_GROUPS].split(",")).toContain("system:serviceaccounts");
    expect(stored.metadata.annotations[REQUESTED_BY_GROUPS].split(",")).not.toContain("system:masters");
    // The admin touches only the annotation: the recorded requester stays the forger.
    await patchAsAdmin(namespace, "forged", {
      metadata: { annotations: { [REQUESTED_BY]: "someone-else" } },
    });
    expect((await admin.get("forged")).metadata.annotations[REQUESTED_BY]).toBe(forger.username);
    // Resumed, it still runs as the forger, who may not create Jobs.
    await patchAsAdmin(namespace, "forged", { spec: { suspend: false } });
    await expectForbidden(admin, namespace, "forged", forger.username);
  });

  it("a Job permission revoked mid-run: running trials finish, no new one starts, the status says why", async () => {
    const revoked = await account(namespace, "revoked", [TUNINGJOBS, JOBS]);
    await revoked.api.create(job("revoked", 8, 3));
    await waitFor("the first trial to run", async () =>
      (await admin.trials("revoked")).some((t) => t.status?.phase === "Running"),
    );
    await revoked.revoke(1);
    const failed = await waitForPhase(admin, "revoked", "Failed", 180_000);
    expect(conditionOf(failed, "Failed")).toMatchObject({
      reason: "Forbidden",
      message: expect.stringContaining(`${revoked.username} may not create jobs.batch`),
    });
    const trials = await admin.trials("revoked");
    expect(trials.length).toBeGreaterThan(0);
    expect(trials.length).toBeLessThan(8);
    // What had started ran to its end (the operator's gate decides before the Job, never kills one).
    for (const t of trials)
      expect(t.status.phase === "Succeeded" || t.status.reason === "Forbidden").toBe(true);
    expect(trials.filter((t) => t.status.phase === "Succeeded").length).toBeGreaterThan(0);
  });

  afterAll(async () => {
    await release?.uninstall();
    release = undefined;
  });
});

describe("namespaced install, the operator creating Jobs itself after asking", () => {
  it("the same refusal in a watched namespace", async () => {
    const system = await restrictedNamespace(core, "ht-mt-sys");
    const namespace = await restrictedNamespace(core, "ht-mtw");
    namespaces.push(system, namespace);
    release = await installOperator(core, "htmtns", system, ["--set", `watchNamespaces={${namespace}}`]);
    const author = await account(namespace, "author", [TUNINGJOBS]);
    await author.api.create(job("not-mine", 2));
    await expectForbidden(tuningJobs(custom, namespace), namespace, "not-mine", author.username);
    await release.uninstall();
    release = undefined;
  });
});
