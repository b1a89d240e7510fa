// Shared by the kube-*.test.ts integration tests: a kubeconfig for the test
// cluster, throwaway namespaces, a log capture, polling, and a TCP proxy in
// front of the API server that a test can cut to break watches for real.
import { randomBytes } from "node:crypto";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { type Logger, pino } from "pino";
import { afterAll, beforeAll, inject } from "vitest";
import { waitFor } from "../support/wait.js";

export function testKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(inject("kubeconfigPath"));
  return kc;
}

/** Creates a namespace with a random suffix; the returned function deletes it. */
export async function tempNamespace(
  kc: KubeConfig,
  prefix: string,
): Promise<{ name: string; remove: () => Promise<void> }> {
  const core = kc.makeApiClient(CoreV1Api);
  const name = `${prefix}-${randomBytes(3).toString("hex")}`;
  await core.createNamespace({ body: { metadata: { name } } });
  return {
    name,
    remove: async () => {
      await core.deleteNamespace({ name }).catch(() => undefined);
    },
  };
}

/**
 * A throwaway namespace for the whole test file: created in a beforeAll hook
 * (registered where this is called, so earlier hooks run first), deleted in
 * afterAll. `onCreated` receives its name.
 */
export function fileNamespace(kc: KubeConfig, prefix: string, onCreated: (name: string) => void): void {
  let remove = async () => {};
  beforeAll(async () => {
    const ns = await tempNamespace(kc, prefix);
    remove = ns.remove;
    onCreated(ns.name);
  });
  afterAll(async () => {
    await remove();
  });
}

/** A pino logger that keeps its lines (HYPERTUNE_TEST_LOG=1 also prints them). */
export function captureLog(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const print = Boolean(process.env.HYPERTUNE_TEST_LOG);
  const log = pino(
    { level: "debug" },
    {
      write(line: string) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
        if (print) process.stderr.write(line);
      },
    },
  );
  return { log, lines };
}

/** test/support's waitFor, polling every 25 ms for up to 10 s by default (watch events arrive fast). */
export const eventually = <T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> => waitFor(what, check, timeoutMs, 25);

/**
 * A TCP proxy to the API server. `cut()` drops every open connection and
 * refuses new ones (a network that fails fast); `freeze()` keeps connections
 * open but lets nothing through (a network that hangs); `restore()` undoes both.
 */
export interface ApiProxy {
  kc: KubeConfig;
  cut(): void;
  freeze(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startApiProxy(kc: KubeConfig): Promise<ApiProxy> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error("kubeconfig has no current cluster");
  const target = new URL(cluster.server);
  const sockets = new Set<Socket>();
  /** Bytes held back while frozen, with the socket they are for. */
  let held: { to: Socket; chunk: Buffer }[] = [];
  let open = true;
  let frozen = false;
  const forward = (from: Socket, to: Socket) =>
    from.on("data", (chunk: Buffer) => {
      if (frozen) held.push({ to, chunk });
      else to.write(chunk);
    });
  const server: Server = createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: target.hostname, port: Number(target.port) });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
      socket.on("error", () => socket.destroy());
    }
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const proxied = new KubeConfig();
  proxied.loadFromOptions({
    clusters: kc
      .getClusters()
      .map((c) => (c.name === cluster.name ? { ...c, server: `https://127.0.0.1:${port}` } : c)),
    users: kc.getUsers(),
    contexts: kc.getContexts(),
    currentContext: kc.getCurrentContext(),
  });
  const dropAll = () => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    kc: proxied,
    cut() {
      open = false;
      dropAll();
    },
    freeze() {
      frozen = true;
    },
    restore() {
      open = true;
      frozen = false;
      for (const { to, chunk } of held) if (!to.destroyed) to.write(chunk);
      held = [];
    },
    close() {
      open = false;
      dropAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
