// A container's environment, resolved as the kubelet does: envFrom, then env in
// order with $(VAR) references to what came before, values from the downward
// API (fieldRef) and from ConfigMaps and Secrets. Container paths inside values
// are rewritten to their host stand-ins (see pod-paths.ts).
import type { V1Container, V1ObjectFieldSelector, V1Pod } from "@kubernetes/client-node";
import { type PathMapping, rewritePaths } from "./pod-paths.js";

/** The kubelet's CreateContainerConfigError: the pod cannot start as specified. */
export class ContainerConfigError extends Error {}

export interface EnvContext {
  pod: V1Pod;
  container: V1Container;
  nodeName: string;
  podIP: string;
  hostIP: string;
  mappings: PathMapping[];
  /** Data of a ConfigMap or Secret in the pod's namespace (Secret values decoded), undefined when absent. */
  readConfigMap(name: string): Promise<Record<string, string> | undefined>;
  readSecret(name: string): Promise<Record<string, string> | undefined>;
}

/**
 * Kubernetes' $(VAR) expansion: a defined variable is replaced, an undefined
 * reference is left as written, and `$$` escapes a `$`.
 */
export function expandVars(input: string, env: Record<string, string>): string {
  let out = "";
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (ch !== "$" || i + 1 >= input.length) {
      out += ch;
      continue;
    }
    const next = input[i + 1];
    if (next === "$") {
      out += "$";
      i++;
    } else if (next === "(") {
      const close = input.indexOf(")", i + 2);
      if (close === -1) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      out += Object.hasOwn(env, name) ? env[name] : `$(${name})`;
      i = close;
    } else {
      out += ch;
    }
  }
  return out;
}

/** Downward API fields a process can see; the pod object is read as it was when the container started. */
export function fieldRefValue(
  ref: V1ObjectFieldSelector,
  ctx: Pick<EnvContext, "pod" | "nodeName" | "podIP" | "hostIP">,
): string {
  const { pod } = ctx;
  const keyed = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(ref.fieldPath);
  if (keyed) {
    const map = keyed[1] === "labels" ? pod.metadata?.labels : pod.metadata?.annotations;
    return map?.[keyed[2] ?? ""] ?? "";
  }
  switch (ref.fieldPath) {
    case "metadata.name":
      return pod.metadata?.name ?? "";
    case "metadata.namespace":
      return pod.metadata?.namespace ?? "";
    case "metadata.uid":
      return pod.metadata?.uid ?? "";
    case "spec.nodeName":
      return ctx.nodeName;
    case "spec.serviceAccountName":
      return pod.spec?.serviceAccountName ?? "";
    case "status.podIP":
    case "status.podIPs":
      return ctx.podIP;
    case "status.hostIP":
    case "status.hostIPs":
      return ctx.hostIP;
    default:
      throw new ContainerConfigError(`unsupported fieldRef ${ref.fieldPath}`);
  }
}

async function lookup(
  kind: "ConfigMap" | "Secret",
  read: (name: string) => Promise<Record<string, string> | undefined>,
  name: string,
  optional: boolean | undefined,
): Promise<Record<string, string>> {
  const data = await read(name);
  if (data === undefined && !optional)
    throw new ContainerConfigError(`${kind.toLowerCase()} "${name}" not found`);
  return data ?? {};
}

export async function resolveContainerEnv(ctx: EnvContext): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const from of ctx.container.envFrom ?? []) {
    const prefix = from.prefix ?? "";
    const data = from.configMapRef
      ? await lookup("ConfigMap", ctx.readConfigMap, from.configMapRef.name ?? "", from.configMapRef.optional)
      : from.secretRef
        ? await lookup("Secret", ctx.readSecret, from.secretRef.name ?? "", from.secretRef.optional)
        : {};
    for (const [k, v] of Object.entries(data)) env[prefix + k] = v;
  }
  for (const e of ctx.container.env ?? []) {
    const from = e.valueFrom;
    if (!from) {
      env[e.name] = expandVars(e.value ?? "", env);
    } else if (from.fieldRef) {
      env[e.name] = fieldRefValue(from.fieldRef, ctx);
    } else if (from.configMapKeyRef) {
      const ref = from.configMapKeyRef;
      const value = (await lookup("ConfigMap", ctx.readConfigMap, ref.name ?? "", ref.optional))[ref.key];
      if (value === undefined && !ref.optional)
        throw new ContainerConfigError(`configmap "${ref.name}" has no key "${ref.key}"`);
      if (value !== undefined) env[e.name] = value;
    } else if (from.secretKeyRef) {
      const ref = from.secretKeyRef;
      const value = (await lookup("Secret", ctx.readSecret, ref.name ?? "", ref.optional))[ref.key];
      if (value === undefined && !ref.optional)
        throw new ContainerConfigError(`secret "${ref.name}" has no key "${ref.key}"`);
      if (value !== undefined) env[e.name] = value;
    } else {
      // resourceFieldRef and fileKeyRef are not stood in for.
      throw new ContainerConfigError(
        `env ${e.name}: only fieldRef, configMapKeyRef and secretKeyRef are supported`,
      );
    }
  }
  for (const [k, v] of Object.entries(env)) env[k] = rewritePaths(v, ctx.mappings);
  return env;
}
