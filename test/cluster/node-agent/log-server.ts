// The kubelet's log endpoint, /containerLogs/{namespace}/{pod}/{container},
// served over HTTPS on the Node's kubeletEndpoint port. The API server proxies
// `pods/log` (and so `kubectl logs`) here.

import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { ServingCert } from "./certs.js";
import { type ContainerLogWriter, type LogRecord, readLogRecords } from "./log-file.js";
import { type LogQuery, parseLogQuery, recordMatches, renderRecord, selectBacklog } from "./log-query.js";

export type LogLookup =
  | { ok: true; path: string; live?: ContainerLogWriter }
  | { ok: false; status: number; message: string };

/** Finds the log of a container instance (the previous one when asked). */
export type LogSource = (namespace: string, pod: string, container: string, previous: boolean) => LogLookup;

export interface LogServer {
  port: number;
  close(): Promise<void>;
}

export async function startLogServer(source: LogSource, cert: ServingCert): Promise<LogServer> {
  const server: Server = createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    try {
      handle(source, req, res);
    } catch (err) {
      if (!res.headersSent) fail(res, 500, String(err));
      else res.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Followers hold their connections open; the agent is going away.
        server.closeAllConnections();
      }),
  };
}

function fail(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
  res.end(message);
}

function handle(source: LogSource, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? "/", "https://127.0.0.1");
  if (url.pathname === "/healthz") {
    res.end("ok");
    return;
  }
  const match = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)\/?$/.exec(url.pathname);
  if (req.method !== "GET" || !match) {
    fail(res, 404, `not found: ${url.pathname}`);
    return;
  }
  const [namespace, pod, container] = match.slice(1).map(decodeURIComponent) as [string, string, string];
  const query = parseLogQuery(url.searchParams);
  if (query instanceof Error) {
    fail(res, 400, query.message);
    return;
  }
  const found = source(namespace, pod, container, query.previous);
  if (!found.ok) {
    fail(res, found.status, found.message);
    return;
  }
  stream(res, found.path, query, query.follow ? found.live : undefined);
}

function stream(
  res: ServerResponse,
  path: string,
  query: LogQuery,
  live: ContainerLogWriter | undefined,
): void {
  res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
  let budget = query.limitBytes ?? Number.POSITIVE_INFINITY;
  // Returns false once limitBytes is used up.
  const send = (record: LogRecord): boolean => {
    let out = renderRecord(record, query);
    if (out.length > budget) out = out.subarray(0, budget);
    budget -= out.length;
    if (out.length > 0) res.write(out);
    return budget > 0;
  };
  // Read the backlog and subscribe in the same tick: the writer appends synchronously, so nothing slips between.
  for (const record of selectBacklog(readLogRecords(path), query)) {
    if (!send(record)) return void res.end();
  }
  if (!live || live.closed) return void res.end();
  const onRecord = (record: LogRecord): void => {
    if (recordMatches(record, query) && !send(record)) done();
  };
  const done = (): void => {
    live.off("record", onRecord);
    live.off("close", done);
    res.end();
  };
  live.on("record", onRecord);
  live.on("close", done);
  res.on("close", done);
}
