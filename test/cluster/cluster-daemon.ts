// The detached process behind `npm run cluster:up`: starts the cluster, records
// it in the state file, and holds it until SIGTERM (from cluster:down).
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { type Cluster, startCluster } from "./cluster.js";
import { parseClusterArgs } from "./cluster-args.js";
import { startRealNodeCluster } from "./node/real-node-cluster.js";
import { removeState, stateDir, writeState } from "./state.js";

const args = parseClusterArgs(process.argv.slice(2));
const logDir = join(stateDir, "logs");
await rm(logDir, { recursive: true, force: true });
const base = { daemonPid: process.pid, kubeconfigPath: args.kubeconfigPath, logDir };
await writeState({ ...base, status: "starting", processes: [] });

let cluster: Cluster | undefined;
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await cluster?.stop();
  await removeState();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

try {
  cluster = args.nodeAgent
    ? await startCluster({ ...args, logDir })
    : await startRealNodeCluster({ kubeconfigPath: args.kubeconfigPath, gpus: args.gpus, logDir });
  await writeState({ ...base, status: "ready", processes: cluster.processes });
  console.log(`cluster ready: ${cluster.apiServerUrl}, nodes ${cluster.nodeNames.join(", ")}`);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(message);
  await writeState({ ...base, status: "failed", processes: [], error: message });
  process.exit(1);
}
// Stay alive: the cluster's processes are this process's children.
setInterval(() => {}, 1 << 30);
