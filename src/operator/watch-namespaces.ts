/**
 * Several watched namespaces (`--namespace a,b`, the Helm chart's
 * `watchNamespaces`): one informer per namespace and kind, merged behind the
 * Informer interface, so the operator needs RBAC in those namespaces only.
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import type { ChangeHandler, Informer, InformerStats } from "../kube/index.js";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** `undefined` or "" → all namespaces; "a,b" → ["a", "b"]; throws on a name that is not a namespace. */
export function parseWatchNamespaces(value: string | undefined): string[] | undefined {
  const names = [
    ...new Set(
      (value ?? "")
        .split(",")
        .map((n) => n.trim())
        .filter(Boolean),
    ),
  ];
  if (names.length === 0) return undefined;
  const bad = names.find((n) => !DNS_LABEL.test(n));
  if (bad !== undefined)
    throw new Error(`"${bad}" is not a namespace name (--namespace takes NS or NS1,NS2)`);
  return names;
}

/** One Informer over per-namespace informers of the same kind. */
export function mergeInformers<T extends KubernetesObject>(
  parts: ReadonlyMap<string, Informer<T>>,
): Informer<T> {
  const all = [...parts.values()];
  const pick = (namespace: string | undefined) =>
    namespace === undefined ? all : [parts.get(namespace)].filter((i) => i !== undefined);
  return {
    async start() {
      await Promise.all(all.map((i) => i.start()));
    },
    stop() {
      for (const i of all) i.stop();
    },
    get(namespace, name) {
      for (const i of pick(namespace)) {
        const found = i.get(namespace, name);
        if (found) return found;
      }
      return undefined;
    },
    list: (namespace) => pick(namespace).flatMap((i) => i.list(namespace)),
    byLabel: (label, value, namespace) => pick(namespace).flatMap((i) => i.byLabel(label, value, namespace)),
    onChange(handler: ChangeHandler<T>) {
      const removers = all.map((i) => i.onChange(handler));
      return () => {
        for (const remove of removers) remove();
      };
    },
    get synced() {
      return all.every((i) => i.synced);
    },
    stats(): InformerStats {
      const each = all.map((i) => i.stats());
      const sum = (key: "lists" | "listPages" | "watches" | "restarts" | "watchdogTimeouts") =>
        each.reduce((total, s) => total + s[key], 0);
      return {
        lists: sum("lists"),
        listPages: sum("listPages"),
        watches: sum("watches"),
        restarts: sum("restarts"),
        watchdogTimeouts: sum("watchdogTimeouts"),
        // Each namespace has its own watch; their versions joined, in namespace order, for logs.
        resourceVersion: each.map((s) => s.resourceVersion).join(","),
      };
    },
  };
}
