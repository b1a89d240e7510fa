// `npm run cluster:up -- --kubeconfig PATH [--gpus N] [--node-agent [--nodes N]]`:
// builds the binaries (and the sandbox image) if needed, starts the cluster in
// a detached daemon and returns once it is ready. `npm run cluster:down` stops it.
import { spawn } from "node:child_process";
import { mkdirSync, openSync } from "node:fs";
import { join, resolve } from "node:path";
import { runBuild, runImageBuild, withHarnessDocker } from "./build.js";
import { parseClusterArgs, toArgv } from "./cluster-args.js";
import { checkRealNodeHost, PreflightError } from "./node/preflight.js";
import { isAlive, readState, stateDir } from "./state.js";

const started = Date.now();
const args = parseClusterArgs(process.argv.slice(2));
const previous = readState();
if (previous && isAlive(previous.daemonPid)) {
  console.error(
    `a test cluster is already running (kubeconfig ${previous.kubeconfigPath}); run npm run cluster:down first`,
  );
  process.exit(1);
}

if (!args.nodeAgent) {
  try {
    await checkRealNodeHost();
  } catch (error) {
    if (!(error instanceof PreflightError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
await runBuild();
// A real node takes its sandbox image from the harness's dockerd, which runs
// only while the node starts.
const ready = args.nodeAgent
  ? await startDaemon()
  : await withHarnessDocker(async () => {
      await runImageBuild(["pause"]);
      return startDaemon();
    });
if (!ready) process.exit(1);
console.error(
  `test cluster up in ${((Date.now() - started) / 1000).toFixed(1)}s (logs ${join(stateDir, "logs")})`,
);
console.log(args.kubeconfigPath);

/** Starts the daemon and waits until it reports ready (true) or fails (false, reason printed). */
async function startDaemon(): Promise<boolean> {
  mkdirSync(stateDir, { recursive: true });
  const daemonLog = join(stateDir, "daemon.log");
  const out = openSync(daemonLog, "w");
  const daemon = spawn(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "cluster-daemon.ts"), ...toArgv(args)],
    {
      detached: true,
      stdio: ["ignore", out, out],
      cwd: resolve(import.meta.dirname, "..", ".."), // where `--import tsx` resolves
    },
  );
  daemon.unref();
  const pid = daemon.pid ?? -1;
  for (;;) {
    await new Promise((r) => setTimeout(r, 300));
    const state = readState();
    if (state?.daemonPid === pid && state.status === "ready") return true;
    if (state?.daemonPid === pid && state.status === "failed") {
      console.error(state.error);
      return false;
    }
    if (!isAlive(pid)) {
      console.error(`the cluster daemon exited; see ${daemonLog}`);
      return false;
    }
  }
}
