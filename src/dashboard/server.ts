/**
 * The dashboard's HTTP server: the page, its assets, and a read-only JSON API
 * over one `JobSource`, with server-sent events so an open page updates
 * without reloading. Every method but GET and HEAD is refused (405): there is
 * no route that changes anything. Bound to loopback by default; a request
 * whose Host is not that address is refused too, so a web page elsewhere
 * cannot reach it through DNS rebinding.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setImmediate } from "node:timers/promises";
import { type DashboardAssets, pageHtml } from "./page.js";
import type { JobSource } from "./source.js";
import { buildJobView, type JobListItem } from "./view.js";

export interface DashboardServerOptions {
  source: JobSource;
  assets: DashboardAssets;
  address: string;
  port: number;
  /** Host names accepted besides the bound address; the in-cluster dashboard is reached through a Service. */
  anyHost?: boolean;
}

export interface DashboardServer {
  url: string;
  close(): Promise<void>;
}

/** Events for one job are sent at most this often: a fast job appends many times a second. */
const EVENT_COALESCE_MS = 300;

export async function startDashboardServer(opts: DashboardServerOptions): Promise<DashboardServer> {
  const views = new ViewCache(opts.source);
  const clients = new Set<ServerResponse>();
  const pending = new Set<string>();
  let flush: NodeJS.Timeout | undefined;
  const unsubscribe = opts.source.subscribe((id) => {
    const key = id ?? "";
    if (id !== null) views.forget(id);
    pending.add(key);
    flush ??= setTimeout(() => {
      flush = undefined;
      for (const changed of pending) {
        const data = JSON.stringify(changed === "" ? { type: "jobs" } : { type: "job", id: changed });
        for (const client of clients) client.write(`data: ${data}\n\n`);
      }
      pending.clear();
    }, EVENT_COALESCE_MS);
  });
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, "text/plain", `dashboard error: ${(err as Error).message}\n`);
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("Allow", "GET, HEAD");
      return send(res, 405, "text/plain", "the dashboard is read-only\n");
    }
    if (!opts.anyHost && !hostAllowed(req.headers.host, opts.address)) {
      return send(res, 403, "text/plain", "unexpected Host header\n");
    }
    const url = new URL(req.url ?? "/", "http://dashboard");
    const id = url.searchParams.get("id") ?? "";
    switch (url.pathname) {
      case "/":
        return send(res, 200, "text/html; charset=utf-8", pageHtml(opts.assets, { mode: "live" }));
      case "/healthz":
        return send(res, 200, "text/plain", "ok\n");
      case "/api/jobs":
        return sendJson(res, await views.listItems());
      case "/api/job": {
        const view = await views.get(id);
        return view === undefined
          ? send(res, 404, "text/plain", `no job "${id}"\n`)
          : send(res, 200, "application/json", view.json);
      }
      case "/api/log": {
        const log = await opts.source.trialLog(id, Number(url.searchParams.get("index")));
        return log === undefined
          ? send(res, 404, "text/plain", "no log for this trial (yet)\n")
          : send(res, 200, "text/plain; charset=utf-8", log);
      }
      case "/api/events":
        res.writeHead(200, {
          "Content-Type": "text/event-stream",
          "Cache-Control": "no-store",
          Connection: "keep-alive",
        });
        res.write(": connected\n\n");
        clients.add(res);
        req.on("close", () => clients.delete(res));
        return;
      default:
        return send(res, 404, "text/plain", "not found\n");
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.address, () => resolve());
  });
  // Build the views before anyone asks: a page opened a moment after the start finds them ready.
  // (A source that cannot list now answers /api/jobs with its error later; it must not crash the server.)
  void views.listItems().catch(() => undefined);
  const { port } = server.address() as AddressInfo;
  const host = opts.address.includes(":") ? `[${opts.address}]` : opts.address;
  return {
    url: `http://${host}:${port}/`,
    close: async () => {
      unsubscribe();
      clearTimeout(flush);
      for (const client of clients) client.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Views are built once per change of their job, not once per request, and
 * kept as their JSON: at 50,000 trials that is 10 MB, whose stringifying
 * cost more than the rest of a repeated request. The job list is made of the
 * views' own list items, so listing reads each job once, not once per list.
 */
class ViewCache {
  private readonly views = new Map<string, Promise<CachedView | undefined>>();

  constructor(private readonly source: JobSource) {}

  get(id: string): Promise<CachedView | undefined> {
    let view = this.views.get(id);
    if (!view) {
      view = this.source.job(id).then((job) => {
        if (!job) return undefined;
        const built = buildJobView(job);
        return { json: JSON.stringify(built), item: built.job };
      });
      this.views.set(id, view);
      view.catch(() => this.views.delete(id));
    }
    return view;
  }

  /**
   * One job after another, yielding to requests in between (building a view
   * is synchronous work). A job that cannot be read is left out of the list;
   * opening it shows why.
   */
  async listItems(): Promise<JobListItem[]> {
    const items: JobListItem[] = [];
    for (const id of await this.source.ids()) {
      await setImmediate();
      const view = await this.get(id).catch(() => undefined);
      if (view) items.push(view.item);
    }
    return items;
  }

  forget(id: string): void {
    this.views.delete(id);
  }
}

interface CachedView {
  json: string;
  item: JobListItem;
}

function hostAllowed(host: string | undefined, address: string): boolean {
  if (host === undefined) return false;
  const name = host.replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
  const loopback = ["127.0.0.1", "localhost", "::1"];
  if (address === "0.0.0.0" || address === "::") return true;
  return name === address || (loopback.includes(address) && loopback.includes(name));
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    "Content-Type": type,
    "Content-Length": Buffer.byteLength(body),
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
  });
  res.end(res.req.method === "HEAD" ? undefined : body);
}

function sendJson(res: ServerResponse, value: unknown): void {
  send(res, 200, "application/json", JSON.stringify(value));
}
