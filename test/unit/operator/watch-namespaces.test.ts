import type { KubernetesObject } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { ChangeHandler, Informer } from "../../../src/kube/index.js";
import { mergeInformers, parseWatchNamespaces } from "../../../src/operator/watch-namespaces.js";

type Obj = KubernetesObject & {
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
};

/** An in-memory Informer over fixed objects of one namespace. */
function fake(objects: Obj[]) {
  const handlers = new Set<ChangeHandler<Obj>>();
  let started = false;
  const informer: Informer<Obj> = {
    async start() {
      started = true;
    },
    stop() {
      started = false;
    },
    get: (ns, name) => objects.find((o) => o.metadata.namespace === ns && o.metadata.name === name),
    list: (ns) => objects.filter((o) => ns === undefined || o.metadata.namespace === ns),
    byLabel: (label, value, ns) =>
      objects.filter(
        (o) => o.metadata.labels?.[label] === value && (ns === undefined || o.metadata.namespace === ns),
      ),
    onChange(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    get synced() {
      return started;
    },
    stats: () => ({
      lists: 1,
      listPages: 3,
      watches: 2,
      restarts: 0,
      watchdogTimeouts: 0,
      resourceVersion: "7",
    }),
  };
  const emit = (o: Obj) => {
    for (const h of handlers) h(o, "add");
  };
  return { informer, emit };
}

const obj = (namespace: string, name: string, job = "j"): Obj => ({
  metadata: { namespace, name, labels: { job } },
});

describe("parseWatchNamespaces", () => {
  it("reads none, one or a comma list, trimmed and without duplicates", () => {
    expect(parseWatchNamespaces(undefined)).toBeUndefined();
    expect(parseWatchNamespaces("")).toBeUndefined();
    expect(parseWatchNamespaces("a")).toEqual(["a"]);
    expect(parseWatchNamespaces(" a, b ,a,")).toEqual(["a", "b"]);
  });
  it("refuses a name that cannot be a namespace", () => {
    expect(() => parseWatchNamespaces("a,B_2")).toThrow(/"B_2" is not a namespace/);
  });
});

describe("mergeInformers", () => {
  const a = fake([obj("a", "x"), obj("a", "y", "k")]);
  const b = fake([obj("b", "x")]);
  const merged = mergeInformers(
    new Map([
      ["a", a.informer],
      ["b", b.informer],
    ]),
  );

  it("routes reads by namespace and unions them without one", async () => {
    expect(merged.synced).toBe(false);
    await merged.start();
    expect(merged.synced).toBe(true);
    expect(merged.get("b", "x")?.metadata?.namespace).toBe("b");
    expect(merged.get("c", "x")).toBeUndefined();
    expect(merged.list().map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`)).toEqual([
      "a/x",
      "a/y",
      "b/x",
    ]);
    expect(merged.list("b")).toHaveLength(1);
    expect(merged.byLabel("job", "j")).toHaveLength(2);
    expect(merged.byLabel("job", "j", "a")).toHaveLength(1);
    expect(merged.stats()).toMatchObject({ lists: 2, listPages: 6, watches: 4, resourceVersion: "7,7" });
  });

  it("delivers every namespace's changes to one handler until it is removed", () => {
    const seen: string[] = [];
    const remove = merged.onChange((o) => seen.push(o.metadata?.namespace ?? ""));
    a.emit(obj("a", "z"));
    b.emit(obj("b", "z"));
    remove();
    b.emit(obj("b", "w"));
    expect(seen).toEqual(["a", "b"]);
    merged.stop();
    expect(merged.synced).toBe(false);
  });
});
