// charts/hypertune rendered, without installing: `helm lint` and `helm
// template` for the default (cluster-wide) and the namespaced values; the
// output passes kubeconform -strict against schemas from this API server's
// OpenAPI; RBAC comes from rbac-rules.yaml only; bad values fail with the
// schema's message.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import type { Json } from "../support/tuningjob-api.js";
import {
  chartDir,
  helm,
  kubeconform,
  manifestsOfKind,
  renderChart,
  writeKubeconformSchemas,
} from "./chart-helpers.js";

let home = "";
let schemas = "";
const namespaced = ["--set", "watchNamespaces={team-a,team-b}"];

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "hypertune-chart-"));
  schemas = join(home, "schemas");
  await writeKubeconformSchemas(schemas, [
    { kind: "ServiceAccount", apiVersion: "v1" },
    { kind: "Service", apiVersion: "v1" },
    { kind: "Deployment", apiVersion: "apps/v1" },
    { kind: "ClusterRole", apiVersion: "rbac.authorization.k8s.io/v1" },
    { kind: "ClusterRoleBinding", apiVersion: "rbac.authorization.k8s.io/v1" },
    { kind: "Role", apiVersion: "rbac.authorization.k8s.io/v1" },
    { kind: "RoleBinding", apiVersion: "rbac.authorization.k8s.io/v1" },
    { kind: "CustomResourceDefinition", apiVersion: "apiextensions.k8s.io/v1" },
    { kind: "MutatingAdmissionPolicy", apiVersion: "admissionregistration.k8s.io/v1" },
    { kind: "MutatingAdmissionPolicyBinding", apiVersion: "admissionregistration.k8s.io/v1" },
  ]);
});

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

/** The rules of one list as the chart grants them when trials' Jobs are created `mode`. */
async function rulesList(
  key: "watched" | "leaderElection" | "impersonating",
  mode: "direct" | "impersonating" = "direct",
): Promise<Json[]> {
  const lists = parse(await readFile(join(chartDir, "rbac-rules.yaml"), "utf8")) as Record<string, Json[]>;
  return (lists[key] ?? [])
    .filter((rule) => rule.when === undefined || rule.when === mode)
    .map(({ when: _when, ...rule }) => rule);
}

describe("helm lint and template", () => {
  it("lints cleanly for the default and the namespaced values", async () => {
    expect(await helm(home, "lint", chartDir, "--strict")).toMatch(
      /1 chart\(s\) linted, 0 chart\(s\) failed/,
    );
    expect(await helm(home, "lint", chartDir, "--strict", ...namespaced)).toMatch(/0 chart\(s\) failed/);
  });

  it("renders manifests, CRDs included, that kubeconform -strict accepts for both modes", async () => {
    const dashboard = ["--set", "dashboard.enabled=true"];
    for (const values of [
      [],
      namespaced,
      ["--set", "replicas=3"],
      dashboard,
      [...namespaced, ...dashboard],
    ]) {
      const yaml = await helm(home, "template", "ht", chartDir, "-n", "ops", "--include-crds", ...values);
      const report = await kubeconform(schemas, yaml);
      expect(report).toMatch(/Invalid: 0, Errors: 0, Skipped: 0/);
      expect(report).not.toMatch(/Valid: 0,/);
    }
    // The schemas are strict: a misspelt field fails (so the passes above mean something).
    const typo = (await helm(home, "template", "ht", chartDir, "-n", "ops")).replace(
      "readOnlyRootFilesystem:",
      "readOnlyRootFileSystem:",
    );
    await expect(kubeconform(schemas, typo)).rejects.toThrow(/readOnlyRootFileSystem/);
  });

  it("cluster-wide by default: one ClusterRole with exactly the listed rules, and no Role beyond leader election", async () => {
    const docs = await renderChart(home, "ops");
    const [clusterRole] = manifestsOfKind(docs, "ClusterRole");
    expect(clusterRole?.rules).toEqual(await rulesList("watched"));
    expect(manifestsOfKind(docs, "ClusterRoleBinding")[0]?.subjects).toEqual([
      { kind: "ServiceAccount", name: "ht-hypertune", namespace: "ops" },
    ]);
    expect(manifestsOfKind(docs, "Role")).toEqual([]);
    const args: string[] = manifestsOfKind(docs, "Deployment")[0]?.spec.template.spec.containers[0].args;
    expect(args.some((a) => a.startsWith("--namespace"))).toBe(false);
    expect(args).not.toContain("--leader-elect");
  });

  it("namespaced: a Role and RoleBinding in each watched namespace, nothing cluster-wide", async () => {
    const docs = await renderChart(home, "ops", ...namespaced);
    expect(manifestsOfKind(docs, "ClusterRole")).toEqual([]);
    expect(manifestsOfKind(docs, "ClusterRoleBinding")).toEqual([]);
    const roles = manifestsOfKind(docs, "Role");
    expect(roles.map((r) => r.metadata.namespace).sort()).toEqual(["team-a", "team-b"]);
    for (const role of roles) expect(role.rules).toEqual(await rulesList("watched"));
    const bindings = manifestsOfKind(docs, "RoleBinding");
    expect(bindings.map((b) => b.metadata.namespace).sort()).toEqual(["team-a", "team-b"]);
    const args: string[] = manifestsOfKind(docs, "Deployment")[0]?.spec.template.spec.containers[0].args;
    expect(args).toContain("--namespace=team-a,team-b");
  });

  it("multi-tenancy by default: the requester policy (bound to the watched namespaces in namespaced mode) and --require-requester", async () => {
    const argsOf = (docs: Json[]): string[] =>
      manifestsOfKind(docs, "Deployment")[0]?.spec.template.spec.containers[0].args;
    const docs = await renderChart(home, "ops");
    expect(argsOf(docs)).toContain("--require-requester");
    const [policy] = manifestsOfKind(docs, "MutatingAdmissionPolicy");
    expect(policy?.spec.matchConstraints.resourceRules[0]).toMatchObject({
      apiGroups: ["hypertune.dev"],
      resources: ["tuningjobs"],
      operations: ["CREATE", "UPDATE"],
    });
    expect(manifestsOfKind(docs, "MutatingAdmissionPolicyBinding")[0]?.spec).toEqual({
      policyName: policy?.metadata.name,
    });
    const scoped = await renderChart(home, "ops", ...namespaced);
    expect(manifestsOfKind(scoped, "MutatingAdmissionPolicyBinding")[0]?.spec.matchResources).toEqual({
      namespaceSelector: {
        matchExpressions: [
          { key: "kubernetes.io/metadata.name", operator: "In", values: ["team-a", "team-b"] },
        ],
      },
    });
    // Impersonating: the operator may not create Jobs itself, and impersonates instead.
    const strict = await renderChart(home, "ops", "--set", "multiTenancy.impersonate=true");
    expect(argsOf(strict)).toEqual(
      expect.arrayContaining(["--require-requester", "--impersonate-requester"]),
    );
    const roles = manifestsOfKind(strict, "ClusterRole");
    expect(roles.find((r) => r.metadata.name === "ht-hypertune")?.rules).toEqual(
      await rulesList("watched", "impersonating"),
    );
    expect(roles.find((r) => r.metadata.name === "ht-hypertune-impersonate")?.rules).toEqual(
      await rulesList("impersonating", "impersonating"),
    );
    const granted = roles.flatMap((r) => r.rules as Json[]);
    expect(granted.some((r) => r.resources.includes("jobs") && r.verbs.includes("create"))).toBe(false);
    const off = await renderChart(home, "ops", "--set", "multiTenancy.enabled=false");
    expect(manifestsOfKind(off, "MutatingAdmissionPolicy")).toEqual([]);
    expect(argsOf(off)).not.toContain("--require-requester");
  });

  it("more than one replica turns on leader election, with a Lease Role in the release namespace only", async () => {
    const docs = await renderChart(home, "ops", "--set", "replicas=2", ...namespaced);
    const deployment = manifestsOfKind(docs, "Deployment")[0];
    expect(deployment?.spec.replicas).toBe(2);
    expect(deployment?.spec.template.spec.containers[0].args).toEqual(
      expect.arrayContaining(["--leader-elect", "--lease-namespace=ops", "--lease-name=hypertune-operator"]),
    );
    const lease = manifestsOfKind(docs, "Role").find((r) => r.metadata.name.endsWith("-leader-election"));
    expect(lease?.metadata.namespace).toBe("ops");
    expect(lease?.rules).toEqual([
      { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["create"] },
      {
        apiGroups: ["coordination.k8s.io"],
        resources: ["leases"],
        verbs: ["get", "update"],
        resourceNames: ["hypertune-operator"],
      },
    ]);
  });

  it("runs the operator restricted, probed, with its own image for the collector and the downward API", async () => {
    const docs = await renderChart(
      home,
      "ops",
      "--set",
      "image.tag=1.2.3",
      "--set",
      "extraArgs={--workers=8}",
      "--set",
      "extraEnv[0].name=EXTRA,extraEnv[0].value=yes",
      "--set",
      "nodeSelector.pool=ops",
    );
    const pod = manifestsOfKind(docs, "Deployment")[0]?.spec.template.spec;
    const container = pod.containers[0];
    expect(container.image).toBe("ghcr.io/hypertune/hypertune:1.2.3");
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
    expect(container.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "health" });
    expect(container.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "health" });
    expect(container.args.at(-1)).toBe("--workers=8");
    const env = Object.fromEntries(container.env.map((e: Json) => [e.name, e]));
    expect(env.HYPERTUNE_IMAGE.value).toBe("ghcr.io/hypertune/hypertune:1.2.3");
    expect(env.POD_NAME.valueFrom.fieldRef.fieldPath).toBe("metadata.name");
    expect(env.POD_NAMESPACE.valueFrom.fieldRef.fieldPath).toBe("metadata.namespace");
    expect(env.EXTRA.value).toBe("yes");
    expect(pod.nodeSelector).toEqual({ pool: "ops" });
    expect(manifestsOfKind(docs, "Service")[0]?.spec.ports).toEqual([
      { name: "metrics", port: 8080, targetPort: "metrics", protocol: "TCP" },
    ]);
    expect(manifestsOfKind(docs, "ServiceMonitor")).toEqual([]);
  });

  it("renders a ServiceMonitor only when asked", async () => {
    const docs = await renderChart(home, "ops", "--set", "metrics.serviceMonitor.enabled=true");
    const [monitor] = manifestsOfKind(docs, "ServiceMonitor");
    expect(monitor?.spec.endpoints).toEqual([
      { port: "metrics", path: "/metrics", interval: "30s", scrapeTimeout: "10s" },
    ]);
    // No ServiceMonitor schema in this cluster: check the rest still passes.
    const yaml = docs.map((d) => stringify(d)).join("---\n");
    expect(await kubeconform(schemas, yaml, ["ServiceMonitor"])).toMatch(/Invalid: 0, Errors: 0/);
  });

  it("refuses bad values with the schema's message", async () => {
    const bad = async (...set: string[]) =>
      helm(home, "template", "ht", chartDir, ...set.flatMap((s) => ["--set", s])).then(
        () => "accepted",
        (err: Error) => err.message,
      );
    expect(await bad("watchNamespaces={Team_A}")).toMatch(/watchNamespaces\/0.*does not match pattern/);
    expect(await bad("replica=2")).toMatch(/additional properties 'replica' not allowed/);
    expect(await bad("operator.logLevel=loud")).toMatch(/operator\/logLevel/);
    expect(await bad("replicas=-1")).toMatch(/replicas.*minimum/);
  });
});
