// The supervised informer against the real API server: sync, add/update/delete,
// label index upkeep, resync, a watchdog restart, recovery from a network cut
// without losing a delete.
import {
  CoreV1Api,
  CustomObjectsApi,
  type KubernetesObject,
  PatchStrategy,
  setHeaderOptions,
  type V1ConfigMap,
} from "@kubernetes/client-node";
import { afterEach, describe, expect, it } from "vitest";
import { type ChangeKind, createInformer, type Informer } from "../../src/kube/index.js";
import { hypertuneInformer } from "../../src/operator/informers.js";
import { jobDocument } from "../support/jobs.js";
import { tuningJobs } from "../support/tuningjob-api.js";
import { sleep } from "../support/wait.js";
import {
  type ApiProxy,
  captureLog,
  eventually,
  fileNamespace,
  startApiProxy,
  testKubeConfig,
} from "./kube-helpers.js";
import { installCrds } from "./operator-helpers.js";

const kc = testKubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
let namespace = "";
const informers: Informer<V1ConfigMap>[] = [];
const proxies: ApiProxy[] = [];

fileNamespace(kc, "kube-informer", (name) => {
  namespace = name;
});
afterEach(async () => {
  for (const informer of informers.splice(0)) informer.stop();
  for (const proxy of proxies.splice(0)) await proxy.close();
});

type Seen = { kind: ChangeKind; name: string; labels?: Record<string, string> };

function configMapInformer(options: {
  kc?: typeof kc;
  labelSelector?: string;
  resyncMs?: number;
  watchdogMs?: number;
  indexLabels?: string[];
  pageSize?: number;
}) {
  const { log, lines } = captureLog();
  const client = (options.kc ?? kc).makeApiClient(CoreV1Api);
  const informer = createInformer<V1ConfigMap>({
    name: "configmaps",
    kc: options.kc ?? kc,
    path: `/api/v1/namespaces/${namespace}/configmaps`,
    list: (o) => client.listNamespacedConfigMap({ namespace, ...o }),
    labelSelector: options.labelSelector,
    resyncMs: options.resyncMs ?? 0,
    watchdogMs: options.watchdogMs,
    indexLabels: options.indexLabels,
    ...(options.pageSize && { pageSize: options.pageSize }),
    restartBackoff: { baseMs: 50, maxMs: 300 },
    log,
  });
  informers.push(informer);
  const seen: Seen[] = [];
  informer.onChange((obj, kind) =>
    seen.push({ kind, name: obj.metadata?.name ?? "", labels: obj.metadata?.labels }),
  );
  return { informer, seen, lines };
}

const configMap = (name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}) =>
  core.createNamespacedConfigMap({ namespace, body: { metadata: { name, labels }, data } });
const seenOf = (seen: Seen[], name: string) => seen.filter((s) => s.name === name).map((s) => s.kind);

describe("createInformer", () => {
  it("lists in pages: every object of a list longer than a page, one snapshot", async () => {
    await Promise.all(Array.from({ length: 25 }, (_, i) => configMap(`paged-${i}`, { suite: "paged" })));
    const { informer, seen } = configMapInformer({ labelSelector: "suite=paged", pageSize: 10 });
    await informer.start();
    expect(informer.stats()).toMatchObject({ lists: 1, listPages: 3 });
    expect(
      informer
        .list(namespace)
        .map((c) => c.metadata?.name)
        .sort(),
    ).toEqual(Array.from({ length: 25 }, (_, i) => `paged-${i}`).sort());
    expect(seen.filter((s) => s.kind === "add")).toHaveLength(25);
    // The watch starts from the snapshot's version: an object made after the list is seen once, as an add.
    await configMap("paged-late", { suite: "paged" });
    await eventually("add of paged-late", () => seenOf(seen, "paged-late").length > 0);
    expect(seenOf(seen, "paged-late")).toEqual(["add"]);
  });

  it("syncs existing objects, then sees add, update and delete", async () => {
    await configMap("sync-a", { suite: "basic" });
    const { informer, seen } = configMapInformer({ labelSelector: "suite=basic" });
    const started = performance.now();
    await informer.start();
    console.error(`informer first sync: ${(performance.now() - started).toFixed(0)} ms`);
    expect(informer.synced).toBe(true);
    expect(informer.get(namespace, "sync-a")?.metadata?.labels?.suite).toBe("basic");
    // Typed list items lack apiVersion/kind; the informer restores them.
    expect(informer.get(namespace, "sync-a")).toMatchObject({ apiVersion: "v1", kind: "ConfigMap" });
    expect(seen).toEqual([{ kind: "add", name: "sync-a", labels: { suite: "basic" } }]);

    await configMap("sync-b", { suite: "basic" });
    await configMap("other", { suite: "unrelated" }); // outside the selector
    await eventually("add of sync-b", () => informer.get(namespace, "sync-b"));
    await core.patchNamespacedConfigMap(
      { name: "sync-b", namespace, body: { data: { k: "v" } } },
      mergePatch,
    );
    await eventually("update of sync-b", () => informer.get(namespace, "sync-b")?.data?.k === "v");
    await core.deleteNamespacedConfigMap({ name: "sync-a", namespace });
    await eventually("delete of sync-a", () => informer.get(namespace, "sync-a") === undefined);

    expect(seenOf(seen, "sync-a")).toEqual(["add", "delete"]);
    expect(seenOf(seen, "sync-b")).toEqual(["add", "update"]);
    expect(seenOf(seen, "other")).toEqual([]);
    expect(informer.list(namespace).map((c) => c.metadata?.name)).toEqual(["sync-b"]);
    expect(informer.list("elsewhere")).toEqual([]);
  });

  it("keeps its label index right when labels change and objects go", async () => {
    const { informer } = configMapInformer({ labelSelector: "suite=index", indexLabels: ["job"] });
    await configMap("idx-1", { suite: "index", job: "a" });
    await configMap("idx-2", { suite: "index", job: "a" });
    await configMap("idx-3", { suite: "index", job: "b" });
    await informer.start();
    const names = (value: string) =>
      informer
        .byLabel("job", value, namespace)
        .map((c) => c.metadata?.name)
        .sort();
    expect(names("a")).toEqual(["idx-1", "idx-2"]);
    expect(names("b")).toEqual(["idx-3"]);

    // Relabel idx-2 from a to b (replace, so the label is really gone from a).
    const current = await core.readNamespacedConfigMap({ name: "idx-2", namespace });
    await core.replaceNamespacedConfigMap({
      name: "idx-2",
      namespace,
      body: { ...current, metadata: { ...current.metadata, labels: { suite: "index", job: "b" } } },
    });
    await eventually("relabel seen", () => names("b").length === 2);
    expect(names("a")).toEqual(["idx-1"]);
    expect(names("b")).toEqual(["idx-2", "idx-3"]);

    await core.deleteNamespacedConfigMap({ name: "idx-3", namespace });
    await eventually("delete seen", () => names("b").length === 1);
    expect(names("b")).toEqual(["idx-2"]);
    // A label that is not indexed is still answered (by a scan).
    expect(informer.byLabel("suite", "index").length).toBe(2);
    expect(informer.byLabel("job", "b", "elsewhere")).toEqual([]);
  });

  it("pages custom objects too (their list's continue token is plain JSON)", async () => {
    await installCrds(kc);
    const api = tuningJobs(kc.makeApiClient(CustomObjectsApi), namespace);
    for (let i = 0; i < 7; i++) {
      const doc = jobDocument();
      await api.create({ ...doc, metadata: { name: `paged-job-${i}` } });
    }
    const informer = hypertuneInformer<KubernetesObject>(
      kc,
      namespace,
      "tuningjobs",
      captureLog().log,
      [],
      3,
    );
    informers.push(informer as unknown as Informer<V1ConfigMap>);
    await informer.start();
    expect(informer.stats()).toMatchObject({ lists: 1, listPages: 3 });
    expect(informer.list(namespace)).toHaveLength(7);
  });

  it("replays the cache as resync events", async () => {
    await configMap("resync-1", { suite: "resync" });
    await configMap("resync-2", { suite: "resync" });
    const { informer, seen } = configMapInformer({ labelSelector: "suite=resync", resyncMs: 200 });
    await informer.start();
    await eventually("two resync rounds", () => seen.filter((s) => s.kind === "resync").length >= 4);
    const resynced = new Set(seen.filter((s) => s.kind === "resync").map((s) => s.name));
    expect([...resynced].sort()).toEqual(["resync-1", "resync-2"]);
  });

  it("restarts a silent watch (watchdog) without spurious events and keeps seeing changes", async () => {
    await configMap("dog-1", { suite: "watchdog" });
    const { informer, seen, lines } = configMapInformer({ labelSelector: "suite=watchdog", watchdogMs: 300 });
    await informer.start();
    await eventually("two watchdog restarts", () => informer.stats().watchdogTimeouts >= 2, 5_000);
    expect(lines.some((l) => l.msg === "watch silent for too long, restarting it")).toBe(true);
    // Restarting resumes from the last resourceVersion: nothing is replayed.
    expect(seen).toEqual([{ kind: "add", name: "dog-1", labels: { suite: "watchdog" } }]);
    await configMap("dog-2", { suite: "watchdog" });
    await eventually("dog-2 seen", () => informer.get(namespace, "dog-2"));
    expect(seenOf(seen, "dog-2")).toEqual(["add"]);
  });

  it("recovers from a network cut and reports what changed meanwhile, deletes included", async () => {
    const proxy = await startApiProxy(kc);
    proxies.push(proxy);
    await configMap("cut-keep", { suite: "cut" });
    await configMap("cut-gone", { suite: "cut" });
    const { informer, seen, lines } = configMapInformer({ kc: proxy.kc, labelSelector: "suite=cut" });
    await informer.start();
    expect(informer.list().length).toBe(2);

    proxy.cut();
    await core.deleteNamespacedConfigMap({ name: "cut-gone", namespace });
    await core.patchNamespacedConfigMap(
      { name: "cut-keep", namespace, body: { data: { changed: "yes" } } },
      mergePatch,
    );
    await configMap("cut-new", { suite: "cut" });
    // While cut, the informer fails and backs off; its cache still answers.
    await eventually("a failed restart", () => informer.stats().restarts >= 2, 10_000);
    expect(informer.get(namespace, "cut-gone")).toBeDefined();
    const restored = performance.now();
    proxy.restore();

    await eventually(
      "the delete made while cut",
      () => informer.get(namespace, "cut-gone") === undefined,
      15_000,
    );
    await eventually("the add made while cut", () => informer.get(namespace, "cut-new"));
    console.error(
      `informer caught up ${(performance.now() - restored).toFixed(0)} ms after the network came back`,
    );
    expect(informer.get(namespace, "cut-keep")?.data?.changed).toBe("yes");
    expect(seenOf(seen, "cut-gone")).toEqual(["add", "delete"]);
    expect(seenOf(seen, "cut-keep")).toEqual(["add", "update"]);
    expect(seenOf(seen, "cut-new")).toEqual(["add"]);
    expect(lines.some((l) => l.msg === "list/watch failed, restarting")).toBe(true);
    expect(informer.stats().lists).toBeGreaterThanOrEqual(2);

    // And it keeps watching afterwards.
    await core.deleteNamespacedConfigMap({ name: "cut-new", namespace });
    await eventually("a delete after recovery", () => informer.get(namespace, "cut-new") === undefined);
  });

  it("detects a watch that hangs (watchdog) and catches up once the network answers again", async () => {
    const proxy = await startApiProxy(kc);
    proxies.push(proxy);
    await configMap("hang-1", { suite: "hang" });
    const { informer, seen } = configMapInformer({
      kc: proxy.kc,
      labelSelector: "suite=hang",
      watchdogMs: 1000,
    });
    await informer.start();
    proxy.freeze();
    await configMap("hang-2", { suite: "hang" });
    await core.deleteNamespacedConfigMap({ name: "hang-1", namespace });
    await eventually("a watchdog restart", () => informer.stats().watchdogTimeouts >= 1, 5_000);
    expect(informer.get(namespace, "hang-1")).toBeDefined(); // nothing got through
    proxy.restore();
    await eventually(
      "the delete made while hung",
      () => informer.get(namespace, "hang-1") === undefined,
      10_000,
    );
    await eventually("the add made while hung", () => informer.get(namespace, "hang-2"));
    expect(seenOf(seen, "hang-1")).toEqual(["add", "delete"]);
    expect(seenOf(seen, "hang-2")).toEqual(["add"]);
  });

  it("stop() before the first sync rejects start() instead of hanging", async () => {
    const proxy = await startApiProxy(kc);
    proxies.push(proxy);
    proxy.cut();
    const { informer } = configMapInformer({ kc: proxy.kc });
    const starting = informer.start();
    await sleep(200);
    informer.stop();
    await expect(starting).rejects.toThrow(/stopped before it synced/);
  });
});
