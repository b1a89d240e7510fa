/** Serving the dashboard from source for the browser tests (the project's global setup bundles the page). */
import { KubeConfig } from "@kubernetes/client-node";
import { type ServedDashboard, serveDashboard } from "../../src/dashboard/serve.js";

export function serveForTest(
  source: { stateRoot: string } | { kubeconfig: string; namespace?: string },
): Promise<ServedDashboard> {
  const address = { address: "127.0.0.1", port: 0 };
  if ("stateRoot" in source) return serveDashboard({ ...address, stateRoot: source.stateRoot });
  const kc = new KubeConfig();
  kc.loadFromFile(source.kubeconfig);
  return serveDashboard({
    ...address,
    cluster: { kc, ...(source.namespace !== undefined && { namespace: source.namespace }) },
  });
}
