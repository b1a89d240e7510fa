// `npm run cluster:down [-- --kubeconfig PATH]`: stops what `npm run cluster:up`
// started. With --kubeconfig it stops only the cluster of that kubeconfig, so
// it cannot stop a colleague's cluster by mistake on a shared machine.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { sleep } from "../support/wait.js";
import { cleanUpHost, hostLeftovers } from "./node/cleanup.js";
import { isAlive, isAliveAs, readState, removeState } from "./state.js";

const { values } = parseArgs({ options: { kubeconfig: { type: "string" } } });
const state = readState();
if (!state) {
  console.error("no test cluster is running");
  await undoRealNode();
  process.exit(0);
}
if (values.kubeconfig && resolve(values.kubeconfig) !== state.kubeconfigPath) {
  console.error(
    `the running test cluster is ${state.kubeconfigPath}, not ${resolve(values.kubeconfig)}; left alone`,
  );
  process.exit(1);
}

const kill = (pid: number, signal: NodeJS.Signals) => {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
};

// The daemon stops its children in order (SIGTERM, then SIGKILL) and removes
// the state file.
if (isAlive(state.daemonPid)) {
  kill(state.daemonPid, "SIGTERM");
  for (let i = 0; i < 150 && isAlive(state.daemonPid); i++) await sleep(200);
  if (isAlive(state.daemonPid)) kill(state.daemonPid, "SIGKILL");
}
// Whatever outlived it (daemon killed hard): by PID, if still the same program.
for (const { pid, command } of state.processes) {
  if (isAliveAs(pid, command)) kill(pid, "SIGKILL");
}
await removeState();
await undoRealNode();
console.error(`test cluster stopped (logs kept in ${state.logDir})`);

// A real node's host changes (iptables, bridge, mounts, containers), even
// when its daemon crashed before undoing them.
async function undoRealNode(): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const leftovers = await hostLeftovers();
  if (leftovers.length === 0) return;
  await cleanUpHost();
  const still = await hostLeftovers();
  if (still.length > 0) {
    console.error(`could not undo all of the test node: ${still.join("; ")}`);
    process.exit(1);
  }
  console.error(`undid the test node's host changes: ${leftovers.join("; ")}`);
}
