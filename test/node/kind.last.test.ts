// `npm run e2e:kind` as CI runs it: a kind cluster from a node image built
// offline, on a dockerd of the test's own, the chart and the quickstart on it
// (test/e2e/README.md). After cleanup.last.test.ts, so no other node is
// running; kind.sh deletes its cluster and stops its dockerd itself.
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const repo = resolve(import.meta.dirname, "..", "..");

function e2eKind(): Promise<{ code: number; output: string }> {
  return new Promise((ok) => {
    const child = execFile(
      "bash",
      ["test/e2e/kind.sh"],
      { cwd: repo, maxBuffer: 64 << 20 },
      (error, stdout, stderr) =>
        ok({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
    child.stdin?.end();
  });
}

describe("npm run e2e:kind", () => {
  it("installs the chart on an offline-built kind node and runs the quickstart to Complete", async () => {
    const { code, output } = await e2eKind();
    const tail = output.trimEnd().split("\n").slice(-40).join("\n");
    expect(code, tail).toBe(0);
    expect(output).toMatch(/^kind e2e: 1 passed, 0 failed \(\d+s\)$/m);
  }, 1_200_000);
});
