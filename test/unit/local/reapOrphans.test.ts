import { spawn } from "node:child_process";
import { once } from "node:events";
import { expect, test } from "vitest";
import { reapOrphanedTrials } from "../../../src/local/reapOrphans.js";

function sleeper(trialName: string) {
  return spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], {
    detached: true,
    stdio: "ignore",
    env: { ...process.env, HYPERTUNE_TRIAL: trialName },
  });
}

test.runIf(process.platform === "linux")(
  "kills a leftover trial only when its pid still carries that trial's name",
  async () => {
    const orphan = sleeper("job-3");
    const stranger = sleeper("other-3");
    try {
      // Give both a moment to exec, so /proc shows their final environment.
      await new Promise((done) => setTimeout(done, 300));
      const killed = reapOrphanedTrials([
        { pid: orphan.pid, trialName: "job-3" },
        { pid: stranger.pid, trialName: "job-3" },
        { trialName: "job-4" },
      ]);
      expect(killed).toEqual([orphan.pid]);
      const [, signal] = await once(orphan, "exit");
      expect(signal).toBe("SIGKILL");
      expect(stranger.exitCode).toBeNull();
    } finally {
      stranger.kill("SIGKILL");
      orphan.kill("SIGKILL");
    }
  },
);
