/**
 * After a `kill -9` of the runner its trials live on as orphans (they are
 * detached into their own process groups). Before re-running them, `--resume`
 * kills any that are still there, so a re-run does not share a GPU or files
 * with its stale twin. A pid is trusted only if /proc shows it still carries
 * that trial's HYPERTUNE_TRIAL, so a reused pid is never hit (Linux only;
 * elsewhere orphans end at their next write to the closed pipe).
 */
import { readFileSync } from "node:fs";

export function reapOrphanedTrials(trials: readonly { pid?: number; trialName: string }[]): number[] {
  const killed: number[] = [];
  for (const { pid, trialName } of trials) {
    if (pid === undefined || pid <= 1 || pid === process.pid) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, "latin1");
    } catch {
      continue;
    }
    if (!environ.split("\0").includes(`HYPERTUNE_TRIAL=${trialName}`)) continue;
    try {
      process.kill(-pid, "SIGKILL");
      killed.push(pid);
    } catch {
      // Gone in the meantime.
    }
  }
  return killed;
}
