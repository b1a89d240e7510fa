// Records core/v1 Events about an object, the ones `kubectl describe` lists.
// Identical events (same object, type, reason, message, component) aggregate
// into one Event whose count and lastTimestamp grow, like client-go's
// EventCorrelator. The Event's name is derived from those fields, so the
// aggregation also holds across operator restarts and leader changes.
// Recording is best effort: failures are logged, never thrown.
import { createHash } from "node:crypto";
import {
  CoreV1Api,
  type CoreV1Event,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from "@kubernetes/client-node";
import type { Logger } from "pino";
import { isAlreadyExists, isNotFound } from "./errors.js";

export type EventType = "Normal" | "Warning";

export interface EventSubject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; uid?: string };
}

export interface EventRecorderOptions {
  kc: KubeConfig;
  /** Shown as the event's source, e.g. "hypertune-operator". */
  component: string;
  /** Which replica reported it; defaults to the host name. */
  instance?: string;
  log: Logger;
}

export interface EventRecorder {
  /** Resolves when the Event is written (or the failure logged); never rejects. */
  record(obj: EventSubject, type: EventType, reason: string, message: string): Promise<void>;
}

const maxMessageLength = 1024;
/** Remembered counts; beyond this the oldest are forgotten (and re-read if they recur). */
const maxRemembered = 4096;
const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

/** metav1.Time is whole seconds in RFC 3339. */
const timestamp = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");

export function createEventRecorder(options: EventRecorderOptions): EventRecorder {
  const api = options.kc.makeApiClient(CoreV1Api);
  const log = options.log.child({ component: options.component });
  const instance = options.instance ?? process.env.HOSTNAME ?? "";
  /** Event name → count we last wrote. */
  const counts = new Map<string, number>();
  /** Event name → the write in progress, so identical events are counted one after another. */
  const pending = new Map<string, Promise<void>>();

  function remember(name: string, count: number): void {
    counts.delete(name);
    counts.set(name, count);
    if (counts.size > maxRemembered) {
      const oldest = counts.keys().next().value;
      if (oldest !== undefined) counts.delete(oldest);
    }
  }

  async function write(
    subject: EventSubject,
    type: EventType,
    reason: string,
    message: string,
  ): Promise<void> {
    const namespace = subject.metadata?.namespace || "default";
    const objectName = subject.metadata?.name ?? "";
    const name = eventName(subject, type, reason, message, options.component);
    const known = counts.get(name);
    if (known !== undefined) {
      try {
        await bump(namespace, name, known + 1);
        return;
      } catch (error) {
        if (!isNotFound(error)) throw error;
        // Expired (Events have a TTL) or deleted: start a new one.
      }
    }
    const now = timestamp();
    const body: CoreV1Event = {
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: subject.apiVersion,
        kind: subject.kind,
        name: objectName,
        namespace: subject.metadata?.namespace,
        uid: subject.metadata?.uid,
      },
      type,
      reason,
      message: message.length > maxMessageLength ? `${message.slice(0, maxMessageLength - 1)}…` : message,
      source: { component: options.component },
      reportingComponent: options.component,
      reportingInstance: instance,
      count: 1,
      firstTimestamp: now as unknown as Date,
      lastTimestamp: now as unknown as Date,
    };
    try {
      await api.createNamespacedEvent({ namespace, body });
      remember(name, 1);
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      // Written before (by us before a restart, or another replica): count on from there.
      const existing = await api.readNamespacedEvent({ name, namespace });
      await bump(namespace, name, (existing.count ?? 1) + 1);
    }
  }

  async function bump(namespace: string, name: string, count: number): Promise<void> {
    await api.patchNamespacedEvent(
      { name, namespace, body: { count, lastTimestamp: timestamp() } },
      mergePatch,
    );
    remember(name, count);
  }

  return {
    record(subject, type, reason, message) {
      const name = eventName(subject, type, reason, message, options.component);
      const previous = pending.get(name) ?? Promise.resolve();
      const next = previous
        .then(() => write(subject, type, reason, message))
        .catch((error: unknown) => {
          log.warn(
            { err: error, kind: subject.kind, object: subject.metadata?.name, reason },
            "could not record event",
          );
        })
        .finally(() => {
          if (pending.get(name) === next) pending.delete(name);
        });
      pending.set(name, next);
      return next;
    },
  };
}

/** A stable, valid Event name for one aggregation key: "<object>.<hash>". */
export function eventName(
  subject: EventSubject,
  type: string,
  reason: string,
  message: string,
  component: string,
): string {
  const meta = subject.metadata ?? {};
  const key = [
    component,
    subject.apiVersion,
    subject.kind,
    meta.namespace,
    meta.name,
    meta.uid,
    type,
    reason,
    message,
  ];
  const hash = createHash("sha256").update(JSON.stringify(key)).digest("hex").slice(0, 16);
  // Object names are DNS subdomains (≤ 253); leave room for the suffix.
  const prefix = (meta.name ?? "object").slice(0, 253 - 17).replace(/\.+$/, "");
  return `${prefix}.${hash}`;
}
