// The chart in its default, cluster-wide mode: the operator, run as a process
// with only the chart ServiceAccount's token, completes a TuningJob in a
// namespace the chart never named (the ClusterRole is enough), and still
// cannot read Secrets or change anything outside the rules list.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KubeConfig, V1ResourceAttributes } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, OperatorProcess, printOperatorLogsOnFailure } from "../support/operator-process.js";
import { tuningJobs, waitForPhase } from "../support/tuningjob-api.js";
import { canI, chartDir, helm, serviceAccountKubeconfig } from "./chart-helpers.js";
import { clients, createNamespace, nodeTuningJob } from "./operator-helpers.js";

const { kc, core, custom } = clients();
const system = `ht-cw-sys-${randomBytes(3).toString("hex")}`;
let team = "";
let home = "";
let saKc: KubeConfig;
let operator: OperatorProcess | undefined;
printOperatorLogsOnFailure(() => (operator ? [operator] : []));

beforeAll(async () => {
  ensureBuilt();
  home = await mkdtemp(join(tmpdir(), "hypertune-chart-"));
  await core.createNamespace({ body: { metadata: { name: system } } });
  team = await createNamespace(core, "ht-cw-team");
  // Release names are cluster-unique here (ClusterRole names): one per run.
  await helm(home, "install", system, chartDir, "-n", system, "--set", "replicas=0");
  saKc = await serviceAccountKubeconfig(core, kc, system, `${system}-hypertune`, join(home, "sa.kubeconfig"));
});

afterAll(async () => {
  await operator?.stop();
  await helm(home, "uninstall", system, "-n", system).catch(() => undefined);
  for (const name of [system, team]) await core.deleteNamespace({ name }).catch(() => undefined);
  await rm(home, { recursive: true, force: true });
});

describe("helm install in cluster-wide mode", () => {
  it("with only the chart's ServiceAccount token, the operator runs a TuningJob in any namespace", async () => {
    // An empty --namespace is "every namespace" (OperatorProcess always passes the flag).
    operator = new OperatorProcess({
      kubeconfig: join(home, "sa.kubeconfig"),
      namespace: "",
      label: "operator (cluster-wide, chart ServiceAccount)",
    });
    await operator.start();
    const api = tuningJobs(custom, team);
    await api.create(nodeTuningJob("cw-run", { limits: { maxTrials: 2, parallelism: 2 } }));
    const done = await waitForPhase(api, "cw-run", "Complete", 120_000);
    expect(done.status.trials).toMatchObject({ succeeded: 2 });
    expect(operator.log.filter((line) => /forbidden/i.test(line))).toEqual([]);
  });

  it("still reads no Secrets and writes nothing the rules list does not name", async () => {
    const may = (attributes: V1ResourceAttributes) => canI(saKc, attributes);
    expect(await may({ group: "hypertune.dev", resource: "tuningjobs", verb: "watch" })).toBe(true);
    const refused: V1ResourceAttributes[] = [
      { resource: "secrets", verb: "get", namespace: team },
      { resource: "secrets", verb: "list" },
      { resource: "secrets", verb: "watch" },
      { resource: "configmaps", verb: "list" },
      { resource: "pods", verb: "create", namespace: team },
      { resource: "pods", verb: "delete", namespace: team },
      { resource: "namespaces", verb: "delete", name: team },
      { resource: "nodes", verb: "list" },
      { group: "hypertune.dev", resource: "tuningjobs", verb: "delete", namespace: team },
      { group: "coordination.k8s.io", resource: "leases", verb: "create", namespace: system },
      { group: "rbac.authorization.k8s.io", resource: "clusterroles", verb: "update" },
    ];
    const allowed = [];
    for (const attributes of refused) if (await may(attributes)) allowed.push(attributes);
    expect(allowed).toEqual([]);
  });
});
