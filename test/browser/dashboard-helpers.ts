/** Serving the dashboard from source for the browser tests (the project's global setup bundles the page). */
import { type ClusterFlags, type ServedDashboard, serveDashboard } from "../../src/dashboard/serve.js";

export function serveForTest(
  source: { stateRoot: string } | { cluster: ClusterFlags },
): Promise<ServedDashboard> {
  return serveDashboard({ address: "127.0.0.1", port: 0, ...source });
}
