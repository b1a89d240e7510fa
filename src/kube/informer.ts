// A supervised list-watch cache for one kind, with client-go's informer
// semantics, built on client-node's Watch (not its ListWatch, which stops for
// good on the first error, can start a watch after stop(), never asks for
// bookmarks, and has no watchdog: a dead connection hangs it silently).
//
// - list in pages (limit/continue, as client-go's pager), then watch from the
//   list's resourceVersion, with bookmarks on so a
//   healthy idle watch still sees traffic and its resourceVersion stays fresh;
// - a clean close (the server's timeoutSeconds) or a silent watch (watchdog)
//   resumes the watch from the last resourceVersion;
// - 410 Gone relists at once; any other error relists after a jittered
//   exponential backoff. A relist diffs against the cache, so an object deleted
//   while the watch was down is still reported as "delete";
// - every resyncMs, every cached object is replayed as "resync".
import {
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  Watch,
} from "@kubernetes/client-node";
import type { Logger } from "pino";
import { type BackoffOptions, backoffDelay, interruptibleSleep } from "./backoff.js";
import { isGone, statusCodeOf } from "./errors.js";
import { keyOf } from "./keys.js";
import { withTimeout } from "./timeout.js";

export type ChangeKind = "add" | "update" | "delete" | "resync";

/** A list call's paging options, named as the client-node list methods take them. */
export interface ListPage {
  labelSelector?: string;
  limit: number;
  _continue?: string;
}
export type ChangeHandler<T> = (obj: T, kind: ChangeKind) => void;

export interface InformerOptions<T extends KubernetesObject> {
  /** Names the informer in logs. */
  name: string;
  kc: KubeConfig;
  /** The collection to watch, e.g. "/api/v1/namespaces/default/configmaps". */
  path: string;
  /** Lists one page of the same collection; must apply the label selector, limit and continue token it is given. */
  list: (options: ListPage) => Promise<KubernetesListObject<T>>;
  labelSelector?: string;
  /**
   * Objects per list page. Default 500, as client-go's: a relist of 50,000
   * Trials is a hundred responses, not one of a hundred megabytes.
   */
  pageSize?: number;
  /** Replays the cache as "resync" this often; 0 turns it off. Default 10 minutes. */
  resyncMs?: number;
  /** Restarts a watch that saw nothing (not even a bookmark) for this long. Default 5 minutes. */
  watchdogMs?: number;
  /** Labels to index, for byLabel without a scan. */
  indexLabels?: string[];
  /** Applied to every object before it is cached: drop what no reader needs, to bound memory. */
  transform?: (obj: T) => T;
  log: Logger;
  /** Delays between restarts after errors. Default 500 ms doubling to 30 s, jittered. */
  restartBackoff?: BackoffOptions;
}

export interface InformerStats {
  lists: number;
  /** List responses: a list of more than pageSize objects takes several. */
  listPages: number;
  watches: number;
  /** Restarts after an error or a watchdog timeout (not after a clean close). */
  restarts: number;
  watchdogTimeouts: number;
  resourceVersion: string;
}

export interface Informer<T extends KubernetesObject> {
  /** Starts the supervisor; resolves once the first list is in the cache. */
  start(): Promise<void>;
  stop(): void;
  /** The cached object (shared: do not mutate it). */
  get(namespace: string | undefined, name: string): T | undefined;
  list(namespace?: string): T[];
  byLabel(label: string, value: string, namespace?: string): T[];
  /** Registers a handler; returns a function that removes it. */
  onChange(handler: ChangeHandler<T>): () => void;
  readonly synced: boolean;
  stats(): InformerStats;
}

/** The list's continue token: `_continue` from typed APIs, `continue` in custom objects' plain JSON. */
function continueToken(list: KubernetesListObject<KubernetesObject>): string | undefined {
  const meta = list.metadata as { _continue?: string; continue?: string } | undefined;
  return meta?._continue || meta?.continue || undefined;
}

type WatchEnd = { reason: "closed" | "watchdog" | "gone" } | { reason: "error"; error: unknown };

/** Watch traffic we act on; anything else on the stream is ignored. */
type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

export function createInformer<T extends KubernetesObject>(options: InformerOptions<T>): Informer<T> {
  const { kc, path, labelSelector } = options;
  const log = options.log.child({ informer: options.name });
  const resyncMs = options.resyncMs ?? 10 * 60_000;
  const watchdogMs = options.watchdogMs ?? 5 * 60_000;
  const indexLabels = new Set(options.indexLabels ?? []);
  const watch = new Watch(kc);

  const store = new Map<string, T>();
  /** label → value → keys */
  const index = new Map<string, Map<string, Set<string>>>();
  const handlers = new Set<ChangeHandler<T>>();
  const pageSize = options.pageSize ?? 500;
  const stats: InformerStats = {
    lists: 0,
    listPages: 0,
    watches: 0,
    restarts: 0,
    watchdogTimeouts: 0,
    resourceVersion: "",
  };

  let running = false;
  let stopped = false;
  let synced = false;
  let abortWatch: (() => void) | undefined;
  let wakeSleep: (() => void) | undefined;
  let resyncTimer: ReturnType<typeof setInterval> | undefined;
  let markSynced: () => void = () => {};
  let failSync: (error: Error) => void = () => {};
  const firstSync = new Promise<void>((resolve, reject) => {
    markSynced = resolve;
    failSync = reject;
  });
  // Without a listener, a stop() before start() would be an unhandled rejection.
  firstSync.catch(() => {});

  function emit(obj: T, kind: ChangeKind): void {
    for (const handler of handlers) {
      try {
        handler(obj, kind);
      } catch (error) {
        log.error({ err: error, kind, key: keyOf(obj) }, "informer handler threw");
      }
    }
  }

  function indexAdd(key: string, obj: T): void {
    const labels = obj.metadata?.labels ?? {};
    for (const label of indexLabels) {
      const value = labels[label];
      if (value === undefined) continue;
      const byValue = index.get(label) ?? new Map<string, Set<string>>();
      index.set(label, byValue);
      const keys = byValue.get(value) ?? new Set<string>();
      byValue.set(value, keys);
      keys.add(key);
    }
  }

  function indexRemove(key: string, obj: T): void {
    const labels = obj.metadata?.labels ?? {};
    for (const label of indexLabels) {
      const value = labels[label];
      if (value === undefined) continue;
      const byValue = index.get(label);
      const keys = byValue?.get(value);
      keys?.delete(key);
      if (keys?.size === 0) byValue?.delete(value);
    }
  }

  function upsert(incoming: T): void {
    const key = keyOf(incoming);
    const old = store.get(key);
    if (old && old.metadata?.resourceVersion === incoming.metadata?.resourceVersion) return;
    const obj = options.transform ? options.transform(incoming) : incoming;
    if (old) indexRemove(key, old);
    store.set(key, obj);
    indexAdd(key, obj);
    emit(obj, old ? "update" : "add");
  }

  function remove(key: string, finalState?: T): void {
    const old = store.get(key);
    if (!old) return;
    // The index holds the labels we stored, which may differ from the final state's.
    indexRemove(key, old);
    store.delete(key);
    emit(finalState ?? old, "delete");
  }

  // List items from typed APIs carry no apiVersion/kind; restore them from the list.
  function withTypeMeta(list: KubernetesListObject<T>, item: T): T {
    if (item.kind && item.apiVersion) return item;
    const kind = list.kind?.endsWith("List") ? list.kind.slice(0, -"List".length) : undefined;
    return { ...item, apiVersion: item.apiVersion ?? list.apiVersion, kind: item.kind ?? kind };
  }

  async function relist(): Promise<void> {
    stats.lists++;
    const listTimeoutMs = Math.max(watchdogMs, 30_000);
    const seen = new Set<string>();
    let resourceVersion = "";
    let token: string | undefined;
    do {
      const page: KubernetesListObject<T> = await withTimeout(
        options.list({
          ...(labelSelector && { labelSelector }),
          limit: pageSize,
          ...(token && { _continue: token }),
        }),
        listTimeoutMs,
        "list",
      );
      if (stopped) return;
      stats.listPages++;
      for (const raw of page.items) {
        const item = withTypeMeta(page, raw);
        seen.add(keyOf(item));
        upsert(item);
      }
      // Every page is of the first one's snapshot and carries its resourceVersion. An expired
      // token (410) fails the relist, which then starts over at once.
      resourceVersion ||= page.metadata?.resourceVersion ?? "";
      token = continueToken(page);
    } while (token);
    // Whatever the cache holds that the list does not was deleted meanwhile.
    for (const key of [...store.keys()]) if (!seen.has(key)) remove(key);
    stats.resourceVersion = resourceVersion;
    if (!synced) {
      synced = true;
      log.info({ objects: store.size, resourceVersion: stats.resourceVersion }, "informer synced");
      markSynced();
    }
  }

  function onWatchEvent(type: WatchEventType, obj: T): WatchEnd | undefined {
    switch (type) {
      case "ADDED":
      case "MODIFIED":
        upsert(obj);
        break;
      case "DELETED":
        remove(keyOf(obj), obj);
        break;
      case "BOOKMARK":
        break;
      case "ERROR":
        // The object is a metav1.Status; 410 means our resourceVersion is too old.
        return isGone(obj) ? { reason: "gone" } : { reason: "error", error: obj };
    }
    const resourceVersion = obj.metadata?.resourceVersion;
    if (resourceVersion) stats.resourceVersion = resourceVersion;
    return undefined;
  }

  /** One watch request, resolved with how it ended. */
  function watchOnce(): Promise<{ end: WatchEnd; events: number }> {
    stats.watches++;
    return new Promise((resolve) => {
      let settled = false;
      let events = 0;
      let controller: AbortController | undefined;
      let watchdog: ReturnType<typeof setTimeout> | undefined;
      const finish = (end: WatchEnd) => {
        if (settled) return;
        settled = true;
        clearTimeout(watchdog);
        abortWatch = undefined;
        controller?.abort();
        resolve({ end, events });
      };
      const kick = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => finish({ reason: "watchdog" }), watchdogMs);
      };
      abortWatch = () => finish({ reason: "closed" });
      kick();
      // The server ends the watch before the watchdog would, so the watchdog only
      // fires on a connection that died without a close (client-node sets no timeout).
      const timeoutSeconds = Math.max(1, Math.floor((watchdogMs / 1000) * (0.5 + 0.3 * Math.random())));
      watch
        .watch(
          path,
          {
            resourceVersion: stats.resourceVersion,
            allowWatchBookmarks: true,
            timeoutSeconds,
            labelSelector,
          },
          (type: string, obj: T) => {
            if (settled) return;
            events++;
            kick();
            const end = onWatchEvent(type as WatchEventType, obj);
            if (end) finish(end);
          },
          (error: unknown) => {
            if (!error) finish({ reason: "closed" });
            else finish(isGone(error) ? { reason: "gone" } : { reason: "error", error });
          },
        )
        .then((ac) => {
          controller = ac;
          // Watch.watch only returns its AbortController after the response
          // started; if we gave up meanwhile, close the request now.
          if (settled) ac.abort();
        })
        .catch((error: unknown) => finish({ reason: "error", error }));
    });
  }

  async function supervise(): Promise<void> {
    let failures = 0;
    let needList = true;
    while (!stopped) {
      let error: unknown;
      try {
        if (needList) await relist();
        if (stopped) break;
        const started = Date.now();
        const { end, events } = await watchOnce();
        if (stopped) break;
        switch (end.reason) {
          case "closed":
            needList = false;
            // A watch that closes at once with nothing on it is a failure in disguise.
            if (events === 0 && Date.now() - started < 1000) error = new Error("watch closed immediately");
            else failures = 0;
            break;
          case "watchdog":
            stats.watchdogTimeouts++;
            stats.restarts++;
            needList = false;
            log.warn({ watchdogMs }, "watch silent for too long, restarting it");
            break;
          case "gone":
            needList = true;
            log.info(
              { resourceVersion: stats.resourceVersion },
              "watch resourceVersion expired (410), relisting",
            );
            break;
          case "error":
            error = end.error;
            break;
        }
      } catch (caught) {
        error = caught;
      }
      if (error === undefined || stopped) continue;
      failures++;
      stats.restarts++;
      // After an error we cannot know what we missed: relist and diff.
      needList = true;
      const delay = backoffDelay(failures, options.restartBackoff);
      log.warn(
        { err: error, status: statusCodeOf(error), failures, retryInMs: Math.round(delay) },
        "list/watch failed, restarting",
      );
      const sleep = interruptibleSleep(delay);
      wakeSleep = sleep.wake;
      await sleep.done;
      wakeSleep = undefined;
    }
  }

  function resync(): void {
    if (!synced) return;
    for (const obj of [...store.values()]) emit(obj, "resync");
  }

  return {
    start() {
      if (!running && !stopped) {
        running = true;
        void supervise().catch((error: unknown) => log.error({ err: error }, "informer supervisor crashed"));
        if (resyncMs > 0) {
          resyncTimer = setInterval(resync, resyncMs);
          resyncTimer.unref?.();
        }
      }
      return firstSync;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      synced = false;
      clearInterval(resyncTimer);
      abortWatch?.();
      wakeSleep?.();
      failSync(new Error(`informer ${options.name} stopped before it synced`));
    },
    get(namespace, name) {
      return store.get(namespace ? `${namespace}/${name}` : name);
    },
    list(namespace) {
      const all = [...store.values()];
      return namespace === undefined ? all : all.filter((obj) => obj.metadata?.namespace === namespace);
    },
    byLabel(label, value, namespace) {
      let found: T[];
      if (indexLabels.has(label)) {
        const keys = index.get(label)?.get(value) ?? new Set<string>();
        found = [...keys].map((key) => store.get(key)).filter((obj): obj is T => obj !== undefined);
      } else {
        found = [...store.values()].filter((obj) => obj.metadata?.labels?.[label] === value);
      }
      return namespace === undefined ? found : found.filter((obj) => obj.metadata?.namespace === namespace);
    },
    onChange(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    get synced() {
      return synced;
    },
    stats() {
      return { ...stats };
    },
  };
}
