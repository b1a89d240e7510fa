// The dashboard (dashboard.enabled) as `helm template` renders it, without
// an API server: nothing of it by default; when on, a Deployment running
// `hypertune dashboard` on the watched namespaces behind a ClusterIP Service,
// a ServiceAccount of its own that may only read (rbac-rules.yaml's
// `dashboard` list) exactly where the operator's RBAC is, and a pod that
// meets the `restricted` Pod Security Standard with the operator's settings.
// chart-render.test.ts validates the same renders with kubeconform.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Json } from "../support/tuningjob-api.js";
import { chartDir, helm, manifestsOfKind, renderChart } from "./chart-helpers.js";

let home = "";
const on = ["--set", "dashboard.enabled=true"];
const namespaced = ["--set", "watchNamespaces={team-a,team-b}"];
const name = "ht-hypertune-dashboard";

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "hypertune-dashboard-"));
});

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

/** What the dashboard may do, written out: the chart must grant this and nothing more. */
const readOnly: Json[] = [
  { apiGroups: ["hypertune.dev"], resources: ["tuningjobs", "trials"], verbs: ["get", "list", "watch"] },
  { apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] },
  { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
  { apiGroups: [""], resources: ["events"], verbs: ["list", "watch"] },
];

const named = (docs: Json[], kind: string, objectName = name) =>
  manifestsOfKind(docs, kind).filter((d) => d.metadata.name === objectName);
const dashboardObjects = (docs: Json[]) =>
  docs.filter(
    (d) =>
      d.metadata?.name?.endsWith("-dashboard") ||
      d.metadata?.labels?.["app.kubernetes.io/component"] === "dashboard",
  );
const podOf = (docs: Json[], deployment: string): Json =>
  named(docs, "Deployment", deployment)[0]?.spec.template;
const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

/**
 * What the `restricted` Pod Security Standard (with baseline) refuses in a
 * pod spec, as messages: the checks admission makes, for a render.
 */
function restrictedViolations(spec: Json): string[] {
  const out: string[] = [];
  const containers: Json[] = [...(spec.initContainers ?? []), ...spec.containers];
  const pod = spec.securityContext ?? {};
  for (const host of ["hostNetwork", "hostPID", "hostIPC"]) if (spec[host]) out.push(host);
  const allowedVolumes = [
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
  ];
  for (const volume of spec.volumes ?? [])
    for (const type of Object.keys(volume).filter((k) => k !== "name"))
      if (!allowedVolumes.includes(type)) out.push(`volume ${volume.name}: ${type}`);
  if (pod.runAsUser === 0) out.push("pod runAsUser 0");
  for (const c of containers) {
    const sc = c.securityContext ?? {};
    if (sc.privileged) out.push(`${c.name}: privileged`);
    if (sc.allowPrivilegeEscalation !== false) out.push(`${c.name}: allowPrivilegeEscalation`);
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) out.push(`${c.name}: capabilities not dropped`);
    for (const cap of sc.capabilities?.add ?? [])
      if (cap !== "NET_BIND_SERVICE") out.push(`${c.name}: adds ${cap}`);
    if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) out.push(`${c.name}: runAsNonRoot`);
    if (sc.runAsUser === 0) out.push(`${c.name}: runAsUser 0`);
    const seccomp = (sc.seccompProfile ?? pod.seccompProfile)?.type;
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") out.push(`${c.name}: seccomp ${seccomp}`);
    if (sc.procMount && sc.procMount !== "Default") out.push(`${c.name}: procMount`);
    for (const port of c.ports ?? []) if (port.hostPort) out.push(`${c.name}: hostPort`);
  }
  return out;
}

describe("the dashboard", () => {
  it("is not rendered by default, in either mode", async () => {
    for (const values of [[], namespaced]) {
      const docs = await renderChart(home, "ops", ...values);
      expect(dashboardObjects(docs)).toEqual([]);
      expect(manifestsOfKind(docs, "Deployment").map((d) => d.metadata.name)).toEqual(["ht-hypertune"]);
    }
  });

  it("runs `hypertune dashboard --in-cluster` on every namespace, or on the watched ones", async () => {
    const all = await renderChart(home, "ops", ...on);
    const deployment = named(all, "Deployment")[0];
    expect(deployment?.metadata.namespace).toBe("ops");
    expect(deployment?.spec.replicas).toBe(1);
    const pod = podOf(all, name);
    const [container, ...others] = pod.spec.containers;
    expect(others).toEqual([]);
    expect(container.args).toEqual(["dashboard", "--in-cluster", "--address", "0.0.0.0", "--port", "8080"]);
    expect(container.image).toBe(podOf(all, "ht-hypertune").spec.containers[0].image);
    expect(container.ports).toEqual([{ name: "http", containerPort: 8080, protocol: "TCP" }]);
    expect(container.readinessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(container.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(container.resources).toEqual({
      requests: { cpu: "50m", memory: "96Mi" },
      limits: { memory: "384Mi" },
    });

    const some = await renderChart(home, "ops", ...on, ...namespaced, "--set", "dashboard.port=9090");
    const scoped = podOf(some, name).spec.containers[0];
    expect(scoped.args).toEqual([
      "dashboard",
      "--in-cluster",
      "--address",
      "0.0.0.0",
      "--port",
      "9090",
      "--namespace",
      "team-a,team-b",
    ]);
    expect(scoped.ports).toEqual([{ name: "http", containerPort: 9090, protocol: "TCP" }]);
  });

  it("has a ServiceAccount of its own, the only one with its token mounted explicitly", async () => {
    const docs = await renderChart(home, "ops", ...on);
    const [account] = named(docs, "ServiceAccount");
    expect(account?.metadata.namespace).toBe("ops");
    expect(account?.automountServiceAccountToken).toBe(true);
    const pod = podOf(docs, name).spec;
    expect(pod.serviceAccountName).toBe(name);
    expect(pod.automountServiceAccountToken).toBe(true);
    // The operator's are as they were.
    expect(named(docs, "ServiceAccount", "ht-hypertune")[0]?.automountServiceAccountToken).toBeUndefined();
    expect(podOf(docs, "ht-hypertune").spec.automountServiceAccountToken).toBeUndefined();
  });

  it("is behind a ClusterIP Service on dashboard.service.port, which selects its pod and only it", async () => {
    const docs = await renderChart(home, "ops", ...on, "--set", "dashboard.service.port=8000");
    const [service] = named(docs, "Service");
    expect(service?.spec.type).toBe("ClusterIP");
    expect(service?.spec.ports).toEqual([{ name: "http", port: 8000, targetPort: "http", protocol: "TCP" }]);
    const dashboardPod = podOf(docs, name).metadata.labels;
    const operatorPod = podOf(docs, "ht-hypertune").metadata.labels;
    expect(dashboardPod["app.kubernetes.io/component"]).toBe("dashboard");
    expect(matches(service?.spec.selector, dashboardPod)).toBe(true);
    expect(matches(service?.spec.selector, operatorPod)).toBe(false);
    expect(matches(named(docs, "Deployment")[0]?.spec.selector.matchLabels, dashboardPod)).toBe(true);
    // Nor do the operator's selectors (Deployment, metrics Service) take the dashboard's pod.
    const operator = named(docs, "Deployment", "ht-hypertune")[0];
    expect(matches(operator?.spec.selector.matchLabels, dashboardPod)).toBe(false);
    const metrics = named(docs, "Service", "ht-hypertune-metrics")[0];
    expect(matches(metrics?.spec.selector, dashboardPod)).toBe(false);
    // 80 by default.
    const plain = await renderChart(home, "ops", ...on);
    expect(named(plain, "Service")[0]?.spec.ports[0].port).toBe(80);
  });

  it("may only read, cluster-wide by default: exactly the listed rules, no write verb, no Secrets, no wildcard", async () => {
    const docs = await renderChart(home, "ops", ...on);
    const [role] = named(docs, "ClusterRole");
    expect(role?.rules).toEqual(readOnly);
    const lists = parse(await readFile(join(chartDir, "rbac-rules.yaml"), "utf8")) as Record<string, Json[]>;
    expect(lists.dashboard).toEqual(readOnly);
    for (const rule of (role?.rules ?? []) as Json[]) {
      expect(rule.verbs.filter((v: string) => !["get", "list", "watch"].includes(v))).toEqual([]);
      expect(rule.resources.filter((r: string) => r.split("/")[0] === "secrets")).toEqual([]);
      for (const word of [...rule.apiGroups, ...rule.resources, ...rule.verbs])
        expect(word).not.toContain("*");
      expect(rule.resourceNames).toBeUndefined();
    }
    const [binding] = named(docs, "ClusterRoleBinding");
    expect(binding?.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name });
    expect(binding?.subjects).toEqual([{ kind: "ServiceAccount", name, namespace: "ops" }]);
    expect(dashboardObjects(manifestsOfKind(docs, "Role"))).toEqual([]);
    expect(dashboardObjects(manifestsOfKind(docs, "RoleBinding"))).toEqual([]);
    // The operator's grant is untouched and still its own.
    expect(named(docs, "ClusterRole", "ht-hypertune")[0]?.rules).toEqual(
      lists.watched?.filter((r) => r.when !== "impersonating").map(({ when: _when, ...r }) => r),
    );
    expect(named(docs, "ClusterRoleBinding", "ht-hypertune")[0]?.subjects).toEqual([
      { kind: "ServiceAccount", name: "ht-hypertune", namespace: "ops" },
    ]);
  });

  it("namespaced: a Role and RoleBinding in each watched namespace, nothing cluster-wide", async () => {
    // Impersonating adds a cluster-wide role for the operator; the dashboard still gets none.
    for (const values of [namespaced, [...namespaced, "--set", "multiTenancy.impersonate=true"]]) {
      const docs = await renderChart(home, "ops", ...on, ...values);
      expect(dashboardObjects(manifestsOfKind(docs, "ClusterRole"))).toEqual([]);
      expect(dashboardObjects(manifestsOfKind(docs, "ClusterRoleBinding"))).toEqual([]);
      const roles = named(docs, "Role");
      expect(roles.map((r) => r.metadata.namespace).sort()).toEqual(["team-a", "team-b"]);
      for (const role of roles) expect(role.rules).toEqual(readOnly);
      const bindings = named(docs, "RoleBinding");
      expect(bindings.map((b) => b.metadata.namespace).sort()).toEqual(["team-a", "team-b"]);
      for (const binding of bindings) {
        expect(binding.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name });
        expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name, namespace: "ops" }]);
      }
    }
  });

  it("gets no RBAC from the chart with rbac.create=false, like the operator", async () => {
    const docs = await renderChart(home, "ops", ...on, "--set", "rbac.create=false");
    for (const kind of ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"])
      expect(manifestsOfKind(docs, kind)).toEqual([]);
    expect(named(docs, "Deployment")).toHaveLength(1);
    expect(named(docs, "ServiceAccount")).toHaveLength(1);
  });

  it("passes the same pod security checks as the operator's pod, with the operator's settings", async () => {
    const docs = await renderChart(home, "ops", ...on);
    const dashboard = podOf(docs, name).spec;
    const operator = podOf(docs, "ht-hypertune").spec;
    expect(restrictedViolations(operator)).toEqual([]);
    expect(restrictedViolations(dashboard)).toEqual([]);
    expect(dashboard.securityContext).toEqual(operator.securityContext);
    expect(dashboard.containers[0].securityContext).toEqual(operator.containers[0].securityContext);
    expect(dashboard.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    // The checks do refuse: a container without these settings fails them.
    expect(restrictedViolations({ containers: [{ name: "plain" }] })).toEqual([
      "plain: allowPrivilegeEscalation",
      "plain: capabilities not dropped",
      "plain: runAsNonRoot",
      "plain: seccomp undefined",
    ]);
    // One set of values hardens both pods.
    const changed = await renderChart(home, "ops", ...on, "--set", "podSecurityContext.runAsUser=2000");
    expect(podOf(changed, name).spec.securityContext.runAsUser).toBe(2000);
  });

  it("is scheduled like the operator; its priority class and pod metadata stay the operator's", async () => {
    const docs = await renderChart(
      home,
      "ops",
      ...on,
      "--set",
      "nodeSelector.pool=ops",
      "--set",
      "tolerations[0].key=dedicated,tolerations[0].operator=Exists",
      "--set",
      "priorityClassName=critical",
      "--set",
      "podLabels.team=ml",
      "--set",
      "imagePullSecrets[0].name=registry",
    );
    const dashboard = podOf(docs, name);
    expect(dashboard.spec.nodeSelector).toEqual({ pool: "ops" });
    expect(dashboard.spec.tolerations).toEqual([{ key: "dedicated", operator: "Exists" }]);
    expect(dashboard.spec.imagePullSecrets).toEqual([{ name: "registry" }]);
    expect(dashboard.spec.priorityClassName).toBeUndefined();
    expect(dashboard.metadata.labels.team).toBeUndefined();
  });

  it("refuses bad dashboard values with the schema's message", async () => {
    const bad = async (...set: string[]) =>
      helm(home, "template", "ht", chartDir, ...set.flatMap((s) => ["--set", s])).then(
        () => "accepted",
        (err: Error) => err.message,
      );
    expect(await bad("dashboard.enable=true")).toMatch(/additional properties 'enable' not allowed/);
    expect(await bad("dashboard.port=0")).toMatch(/dashboard\/port.*minimum/);
    expect(await bad("dashboard.enabled=yes")).toMatch(/dashboard\/enabled/);
    // The chart exposes it as ClusterIP only.
    expect(await bad("dashboard.service.type=LoadBalancer")).toMatch(
      /additional properties 'type' not allowed/,
    );
  });
});
