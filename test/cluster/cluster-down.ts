// `npm run cluster:down [-- --kubeconfig PATH]`: stops what `npm run cluster:up`
// started. With --kubeconfig it stops only the cluster of that kubeconfig, so
// it cannot stop a colleague's cluster by mistake on a shared machine.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { isAlive, isAliveAs, readState, removeState } from "./state.js";

const { values } = parseArgs({ options: { kubeconfig: { type: "string" } } });
const state = readState();
if (!state) {
  console.error("no test cluster is running");
  process.exit(0);
}
if (values.kubeconfig && resolve(values.kubeconfig) !== state.kubeconfigPath) {
  console.error(
    `the running test cluster is ${state.kubeconfigPath}, not ${resolve(values.kubeconfig)}; left alone`,
  );
  process.exit(1);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
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
console.error(`test cluster stopped (logs kept in ${state.logDir})`);
