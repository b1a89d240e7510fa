// `npm run cluster:down`: stops what `npm run cluster:up` started.
import { isAlive, isAliveAs, readState, removeState } from "./state.js";

const state = readState();
if (!state) {
  console.error("no test cluster is running");
  process.exit(0);
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
