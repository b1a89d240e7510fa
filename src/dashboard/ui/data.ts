/**
 * Where the page gets its data: the live server's API (with server-sent
 * events for changes) or the data a report file carries.
 */
import type { ReportData } from "../page.js";
import type { JobListItem, JobView } from "../view.js";

export interface DataClient {
  live: boolean;
  jobs(): Promise<JobListItem[]>;
  job(id: string): Promise<JobView | undefined>;
  log(id: string, index: number): Promise<string | undefined>;
  /** Called with the id of a job that changed, or null when the list did. */
  onChange(listener: (id: string | null) => void): void;
}

export function liveClient(): DataClient {
  const listeners: ((id: string | null) => void)[] = [];
  const events = new EventSource("api/events");
  events.onmessage = (e) => {
    const message = JSON.parse(e.data) as { type: "jobs" } | { type: "job"; id: string };
    for (const listener of listeners) listener(message.type === "job" ? message.id : null);
  };
  const get = async (path: string): Promise<Response | undefined> => {
    const response = await fetch(path, { cache: "no-store" });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response;
  };
  return {
    live: true,
    jobs: async () => ((await (await get("api/jobs"))?.json()) ?? []) as JobListItem[],
    job: async (id) =>
      (await (await get(`api/job?id=${encodeURIComponent(id)}`))?.json()) as JobView | undefined,
    log: async (id, index) => (await get(`api/log?id=${encodeURIComponent(id)}&index=${index}`))?.text(),
    onChange: (listener) => listeners.push(listener),
  };
}

export function reportClient(data: ReportData): DataClient {
  return {
    live: false,
    jobs: async () => data.jobs,
    job: async (id) => data.views[id],
    log: async (id, index) => data.logs[id]?.[index],
    onChange: () => {},
  };
}
