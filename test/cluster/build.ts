// Runs build.sh (a no-op when the binaries are there) and the image build,
// with their progress on stderr.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { buildScript, clusterDir } from "./binaries.js";

const imageScript = join(clusterDir, "..", "images", "build.sh");
const dockerdScript = join(clusterDir, "..", "images", "dockerd.sh");

function runScript(script: string, args: string[], what: string, okCodes = [0]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [script, ...args], { stdio: ["ignore", "ignore", "inherit"] });
    child.once("error", reject);
    child.once("exit", (code) =>
      code !== null && okCodes.includes(code)
        ? resolve(code)
        : reject(new Error(`${what} failed (exit ${code}); see its output above`)),
    );
  });
}

/** build.sh with `args` (e.g. `--also v1.29` for an older Kubernetes set). */
export async function runBuild(args: string[] = []): Promise<void> {
  await runScript(buildScript, args, "test/cluster/build.sh");
}

/** `npm run images`, or `--only NAME...` of it; cached images make it quick. */
export async function runImageBuild(only: string[] = []): Promise<void> {
  await runScript(imageScript, only.length > 0 ? ["--only", ...only] : [], "test/images/build.sh");
}

/**
 * Runs `use` with the harness's dockerd up (test/images/dockerd.sh), and
 * stops it afterwards unless it was already running: no daemon outlives a
 * test run that started it.
 */
export async function withHarnessDocker<T>(use: () => Promise<T>): Promise<T> {
  const wasRunning = (await runScript(dockerdScript, ["status"], "dockerd.sh status", [0, 1])) === 0;
  await runScript(dockerdScript, ["start"], "dockerd.sh start");
  try {
    return await use();
  } finally {
    if (!wasRunning) await runScript(dockerdScript, ["stop"], "dockerd.sh stop");
  }
}
