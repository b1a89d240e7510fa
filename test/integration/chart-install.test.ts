// The chart installed for real, in namespaced mode (watchNamespaces: [a, b]),
// into a namespace that enforces the `restricted` Pod Security Standard. The
// operator then runs outside as a process, but with the chart's
// ServiceAccount token (TokenRequest), not the admin's: a TuningJob completes
// (the RBAC is enough) and access reviews show it can do nothing more (not
// excessive). Then `helm upgrade` and `helm uninstall` as the chart README says.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppsV1Api, type KubeConfig, type V1ResourceAttributes } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, OperatorProcess, printOperatorLogsOnFailure } from "../support/operator-process.js";
import { type Json, tuningJobs, waitForPhase } from "../support/tuningjob-api.js";
import { waitFor } from "../support/wait.js";
import { canI, chartDir, helm, serviceAccountKubeconfig } from "./chart-helpers.js";
import { clients, conditionTrue, nodeTuningJob } from "./operator-helpers.js";

const { kc, core, custom } = clients();
const apps = kc.makeApiClient(AppsV1Api);
const suffix = randomBytes(3).toString("hex");
const ns = { system: `ht-sys-${suffix}`, a: `ht-a-${suffix}`, b: `ht-b-${suffix}`, other: `ht-c-${suffix}` };
const release = "ht";
const serviceAccount = "ht-hypertune";
let home = "";
let saKc: KubeConfig;
let operator: OperatorProcess | undefined;
printOperatorLogsOnFailure(() => (operator ? [operator] : []));

// The node agent would run the operator's pod as a process with no in-cluster
// credentials; a nodeSelector no Node has keeps it Pending. Admission (Pod
// Security) is what is checked; the operator itself runs below as a process.
const noNode = ["--set-string", "nodeSelector.hypertune\\.dev/test-unschedulable=true"];

beforeAll(async () => {
  ensureBuilt();
  home = await mkdtemp(join(tmpdir(), "hypertune-chart-"));
  await core.createNamespace({
    body: {
      metadata: {
        name: ns.system,
        labels: {
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/enforce-version": "latest",
        },
      },
    },
  });
  for (const name of [ns.a, ns.b, ns.other]) await core.createNamespace({ body: { metadata: { name } } });
});

afterAll(async () => {
  await operator?.stop();
  await helm(home, "uninstall", release, "-n", ns.system).catch(() => undefined);
  for (const name of Object.values(ns)) await core.deleteNamespace({ name }).catch(() => undefined);
  await rm(home, { recursive: true, force: true });
});

const crdNames = ["tuningjobs.hypertune.dev", "trials.hypertune.dev"];
const readCrd = (name: string) =>
  custom.getClusterCustomObject({
    group: "apiextensions.k8s.io",
    version: "v1",
    plural: "customresourcedefinitions",
    name,
  }) as Promise<Json>;

describe("helm install in namespaced mode", () => {
  it("installs the CRDs and the operator; the restricted namespace admits the operator's pod", async () => {
    await helm(
      home,
      "install",
      release,
      chartDir,
      "-n",
      ns.system,
      "--set",
      `watchNamespaces={${ns.a},${ns.b}}`,
      "--set",
      "leaderElection.enabled=true",
      ...noNode,
    );
    for (const name of crdNames) {
      const crd = await readCrd(name);
      expect(conditionTrue(crd, "Established"), name).toBe(true);
    }
    // The ReplicaSet's pod exists only if Pod Security admitted it (it rejects pods, not Deployments).
    const pod = await waitFor("the operator's pod", async () => {
      const pods = await core.listNamespacedPod({
        namespace: ns.system,
        labelSelector: `app.kubernetes.io/instance=${release}`,
      });
      return pods.items[0];
    });
    expect(pod.spec?.serviceAccountName).toBe(serviceAccount);
    // And the namespace does enforce: a pod with the defaults (root allowed, capabilities kept) is refused.
    const plain = core.createNamespacedPod({
      namespace: ns.system,
      dryRun: "All",
      body: { metadata: { name: "plain" }, spec: { containers: [{ name: "c", image: "busybox" }] } },
    });
    await expect(plain).rejects.toThrow(/violates PodSecurity\W+restricted:latest/);
  });

  it("with only the chart's ServiceAccount token, the operator runs a TuningJob to Complete", async () => {
    saKc = await serviceAccountKubeconfig(core, kc, ns.system, serviceAccount, join(home, "sa.kubeconfig"));
    operator = new OperatorProcess({
      kubeconfig: join(home, "sa.kubeconfig"),
      namespace: `${ns.a},${ns.b}`,
      args: ["--leader-elect", "--lease-namespace", ns.system, "--lease-name", "hypertune-operator"],
      label: "operator (chart ServiceAccount)",
    });
    await operator.start();
    const api = tuningJobs(custom, ns.b);
    await api.create(nodeTuningJob("sa-run", { limits: { maxTrials: 2, parallelism: 2 } }));
    const done = await waitForPhase(api, "sa-run", "Complete", 120_000);
    expect(done.status.bestTrial.name).toMatch(/^sa-run-[01]$/);
    expect(conditionTrue(done, "Ready")).toBe(true);
    // Events, the Lease and every other call went through: nothing was refused.
    expect(operator.log.filter((line) => /forbidden/i.test(line))).toEqual([]);
    const events = await core.listNamespacedEvent({ namespace: ns.b });
    expect(
      events.items.some(
        (e) => e.reportingComponent === "hypertune-operator" || e.source?.component === "hypertune-operator",
      ),
    ).toBe(true);
  });

  it("the ServiceAccount can do nothing beyond the list: no Secrets, no other namespace, nothing cluster-wide", async () => {
    const may = (attributes: V1ResourceAttributes) => canI(saKc, attributes);
    const tj = { group: "hypertune.dev", resource: "tuningjobs" };
    // What it needs, where it needs it.
    expect(await may({ ...tj, verb: "watch", namespace: ns.a })).toBe(true);
    expect(await may({ group: "batch", resource: "jobs", verb: "create", namespace: ns.b })).toBe(true);
    expect(await may({ resource: "pods", subresource: "log", verb: "get", namespace: ns.b })).toBe(true);
    const lease = { group: "coordination.k8s.io", resource: "leases", namespace: ns.system };
    expect(await may({ ...lease, verb: "update", name: "hypertune-operator" })).toBe(true);
    // Nothing else.
    const refused: V1ResourceAttributes[] = [
      ...[ns.a, ns.b, ns.system, ns.other].flatMap((namespace) => [
        { resource: "secrets", verb: "get", namespace },
        { resource: "secrets", verb: "list", namespace },
      ]),
      { resource: "secrets", verb: "list" },
      { ...tj, verb: "list", namespace: ns.other },
      { ...tj, verb: "list" },
      { ...tj, verb: "delete", namespace: ns.a },
      { ...tj, verb: "update", namespace: ns.a },
      { group: "batch", resource: "jobs", verb: "create", namespace: ns.other },
      { resource: "pods", verb: "list", namespace: ns.other },
      { resource: "pods", verb: "create", namespace: ns.a },
      { resource: "pods", subresource: "exec", verb: "create", namespace: ns.a },
      { resource: "configmaps", verb: "get", namespace: ns.a },
      { ...lease, verb: "update", name: "someone-elses-lease" },
      { ...lease, verb: "create", namespace: ns.a },
      { resource: "namespaces", verb: "delete", name: ns.other },
      { group: "rbac.authorization.k8s.io", resource: "roles", verb: "create", namespace: ns.a },
      { group: "apiextensions.k8s.io", resource: "customresourcedefinitions", verb: "update" },
    ];
    const allowed = [];
    for (const attributes of refused) if (await may(attributes)) allowed.push(attributes);
    expect(allowed).toEqual([]);
  });
});

describe("helm upgrade and uninstall", () => {
  it("upgrade applies new values (2 replicas, leader election) and leaves the CRDs untouched", async () => {
    const before = await Promise.all(crdNames.map(readCrd));
    await helm(home, "upgrade", release, chartDir, "-n", ns.system, "--reuse-values", "--set", "replicas=2");
    const deployment = await apps.readNamespacedDeployment({ name: "ht-hypertune", namespace: ns.system });
    expect(deployment.spec?.replicas).toBe(2);
    expect(deployment.spec?.template.spec?.containers[0]?.args).toContain("--leader-elect");
    const after = await Promise.all(crdNames.map(readCrd));
    expect(after.map((c) => c.metadata.resourceVersion)).toEqual(
      before.map((c) => c.metadata.resourceVersion),
    );
    // Bad values stop the upgrade before anything changes.
    await expect(
      helm(home, "upgrade", release, chartDir, "-n", ns.system, "--reuse-values", "--set", "replicas=two"),
    ).rejects.toThrow(/replicas/);
    const history = JSON.parse(await helm(home, "history", release, "-n", ns.system, "-o", "json")) as Json[];
    expect(history.map((h) => h.status)).toEqual(["superseded", "deployed"]);
  });

  it("uninstall removes the operator and its RBAC but keeps the CRDs and the TuningJobs", async () => {
    await operator?.stop();
    await helm(home, "uninstall", release, "-n", ns.system, "--wait");
    const gone = async (read: () => Promise<unknown>) =>
      read().then(
        () => false,
        (err: { code?: number }) => err.code === 404,
      );
    expect(
      await gone(() => apps.readNamespacedDeployment({ name: "ht-hypertune", namespace: ns.system })),
    ).toBe(true);
    expect(
      await gone(() => core.readNamespacedServiceAccount({ name: serviceAccount, namespace: ns.system })),
    ).toBe(true);
    const rbac = kc.makeApiClient((await import("@kubernetes/client-node")).RbacAuthorizationV1Api);
    for (const namespace of [ns.a, ns.b])
      expect(await gone(() => rbac.readNamespacedRole({ name: "ht-hypertune", namespace }))).toBe(true);
    for (const name of crdNames) expect((await readCrd(name)).metadata.name).toBe(name);
    expect((await tuningJobs(custom, ns.b).get("sa-run")).status.phase).toBe("Complete");
  });
});
