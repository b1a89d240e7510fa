/** `hypertune dashboard`: a source (local state root or cluster) behind the server. */
import type { KubeConfig } from "@kubernetes/client-node";
import pino from "pino";
import { loadDashboardAssets } from "./assets.js";
import { startClusterSource } from "./cluster-source.js";
import { LocalJobSource } from "./local-source.js";
import { startDashboardServer } from "./server.js";
import type { JobSource } from "./source.js";

export interface ClusterOptions {
  kc: KubeConfig;
  /** `--namespace`: NS or NS1,NS2; absent: every namespace the credentials may list, else the context's. */
  namespace?: string;
  /** In a pod behind a Service: requests arrive with the Service's host name. */
  inCluster?: boolean;
}

export type ServeOptions = { address: string; port: number } & (
  | { stateRoot: string }
  | { cluster: ClusterOptions }
);

export interface ServedDashboard {
  url: string;
  /** What it reads, for the start-up line. */
  describe: string;
  close(): Promise<void>;
}

export async function serveDashboard(opts: ServeOptions): Promise<ServedDashboard> {
  const assets = loadDashboardAssets();
  let source: JobSource;
  let describe: string;
  if ("stateRoot" in opts) {
    source = new LocalJobSource(opts.stateRoot);
    describe = `local jobs in ${opts.stateRoot}`;
  } else {
    const { parseWatchNamespaces } = await import("../operator/watch-namespaces.js");
    const { kc } = opts.cluster;
    const namespaces = parseWatchNamespaces(opts.cluster.namespace);
    const cluster = await startClusterSource({
      kc,
      ...(namespaces && { namespaces }),
      log: pino({ level: "warn", base: { component: "hypertune-dashboard" } }),
    });
    source = cluster;
    describe = `TuningJobs in ${cluster.namespaces ? `namespace(s) ${cluster.namespaces.join(", ")}` : "every namespace"} of ${kc.getCurrentCluster()?.server ?? "the cluster"}`;
  }
  const server = await startDashboardServer({
    source,
    assets,
    address: opts.address,
    port: opts.port,
    anyHost: "cluster" in opts && opts.cluster.inCluster === true,
  });
  return {
    url: server.url,
    describe,
    close: async () => {
      await server.close();
      source.close();
    },
  };
}
