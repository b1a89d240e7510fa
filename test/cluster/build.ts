// Runs build.sh (a no-op when the binaries are there) with its progress on stderr.
import { spawn } from "node:child_process";
import { buildScript } from "./binaries.js";

export function runBuild(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [buildScript], { stdio: ["ignore", "ignore", "inherit"] });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`test/cluster/build.sh failed (exit ${code}); see its output above`)),
    );
  });
}
