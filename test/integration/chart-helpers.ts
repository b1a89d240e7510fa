// Shared by the chart-*.test.ts files: helm, kubectl and kubeconform from the
// harness's build, kubeconform schemas generated from the test API server's
// own OpenAPI (no network), and credentials of the chart's ServiceAccount
// from a TokenRequest, so the operator runs with exactly what the chart grants.
import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import {
  AuthorizationV1Api,
  type CoreV1Api,
  KubeConfig,
  type V1ResourceAttributes,
} from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import { defaultBinDir, requireBinaries } from "../cluster/binaries.js";
import type { Json } from "../support/tuningjob-api.js";
import { kubeconfigPath } from "./operator-helpers.js";

const run = promisify(execFile);
export const chartDir = resolve(import.meta.dirname, "..", "..", "charts", "hypertune");
const bins = () => requireBinaries(defaultBinDir(), ["helm", "kubectl", "kubeconform"]);

/** Helm with the test cluster's kubeconfig and its own state in `home` (no ~/.config writes). */
export async function helm(home: string, ...args: string[]): Promise<string> {
  const env = {
    ...process.env,
    HELM_CONFIG_HOME: join(home, "config"),
    HELM_CACHE_HOME: join(home, "cache"),
    HELM_DATA_HOME: join(home, "data"),
  };
  try {
    const { stdout } = await run(bins().helm, ["--kubeconfig", kubeconfigPath(), ...args], {
      env,
      maxBuffer: 64 << 20,
    });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`helm ${args.join(" ")} failed: ${e.stderr || e.stdout || e.message}`);
  }
}

/** The documents `helm template` renders, as objects. */
export async function renderChart(home: string, namespace: string, ...args: string[]): Promise<Json[]> {
  const yaml = await helm(home, "template", "ht", chartDir, "--namespace", namespace, ...args);
  return parseAllDocuments(yaml)
    .map((d) => d.toJS() as Json | null)
    .filter((d): d is Json => d !== null);
}

export function manifestsOfKind(docs: Json[], kind: string): Json[] {
  return docs.filter((d) => d.kind === kind);
}

/**
 * JSON schemas for kubeconform from the API server's /openapi/v2, written the
 * way kubeconform looks them up (`{kind}-{group}-{version}.json`), strict
 * (additionalProperties false on every object with declared properties) and
 * with the same two fixes as openapi2jsonschema: int-or-string and Quantity
 * accept numbers.
 */
export async function writeKubeconformSchemas(dir: string, kinds: { kind: string; apiVersion: string }[]) {
  const { stdout } = await run(
    bins().kubectl,
    ["--kubeconfig", kubeconfigPath(), "get", "--raw", "/openapi/v2"],
    { maxBuffer: 256 << 20 },
  );
  const definitions = (JSON.parse(stdout) as { definitions: Record<string, Json> }).definitions;
  for (const [name, schema] of Object.entries(definitions)) {
    if (schema.format === "int-or-string")
      definitions[name] = { oneOf: [{ type: "string" }, { type: "integer" }] };
    else if (name.endsWith(".api.resource.Quantity"))
      definitions[name] = { oneOf: [{ type: "string" }, { type: "number" }] };
    else strict(schema);
  }
  mkdirSync(dir, { recursive: true });
  for (const { kind, apiVersion } of kinds) {
    const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
    const entry = Object.entries(definitions).find(([, s]) =>
      (s["x-kubernetes-group-version-kind"] as Json[] | undefined)?.some(
        (gvk) => gvk.kind === kind && gvk.group === group && gvk.version === version,
      ),
    );
    if (!entry) throw new Error(`the API server has no schema for ${apiVersion} ${kind}`);
    // kubeconform's file name: the group's first label, lowercased kind.
    const suffix = group ? `-${group.split(".")[0]}-${version}` : `-${version}`;
    const file = join(dir, `${kind.toLowerCase()}${suffix}.json`);
    writeFileSync(file, JSON.stringify({ ...entry[1], definitions }));
  }
}

function strict(schema: Json): void {
  if (schema.properties && schema.additionalProperties === undefined) schema.additionalProperties = false;
  for (const child of Object.values(schema.properties ?? {})) strict(child as Json);
  if (schema.items) strict(schema.items as Json);
}

/** kubeconform -strict over YAML on stdin, against `schemaDir` only; returns its output. */
export async function kubeconform(schemaDir: string, yaml: string, skip: string[] = []): Promise<string> {
  const args = [
    "-strict",
    "-summary",
    "-output",
    "text",
    "-schema-location",
    join(schemaDir, "{{ .ResourceKind }}{{ .KindSuffix }}.json"),
    ...(skip.length > 0 ? ["-skip", skip.join(",")] : []),
    "-",
  ];
  return new Promise((ok, fail) => {
    const child = execFile(bins().kubeconform, args, (err, stdout, stderr) =>
      err ? fail(new Error(`kubeconform failed:\n${stdout}${stderr}`)) : ok(stdout),
    );
    child.stdin?.end(yaml);
  });
}

/** A kubeconfig file for `serviceAccount`, holding a TokenRequest token (never the admin's credentials). */
export async function serviceAccountKubeconfig(
  core: CoreV1Api,
  admin: KubeConfig,
  namespace: string,
  serviceAccount: string,
  path: string,
): Promise<KubeConfig> {
  const request = await core.createNamespacedServiceAccountToken({
    name: serviceAccount,
    namespace,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const token = request.status?.token;
  if (!token) throw new Error("TokenRequest returned no token");
  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error("admin kubeconfig has no current cluster");
  const kc = new KubeConfig();
  const user = `system:serviceaccount:${namespace}:${serviceAccount}`;
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name: user, token }],
    contexts: [{ name: user, cluster: cluster.name, user }],
    currentContext: user,
  });
  writeFileSync(path, kc.exportConfig(), { mode: 0o600 });
  return kc;
}

/** SelfSubjectAccessReview with `kc`'s credentials: may it do this? */
export async function canI(kc: KubeConfig, attributes: V1ResourceAttributes): Promise<boolean> {
  const review = await kc.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
    body: { spec: { resourceAttributes: attributes } },
  });
  return review.status?.allowed === true;
}
