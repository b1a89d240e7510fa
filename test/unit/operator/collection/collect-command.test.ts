// `hypertune collect` as the sidecar runs it: a real child process tailing a
// real file, stopped with SIGTERM.
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const ENTRY = fileURLToPath(new URL("../../../../src/cli/entry.ts", import.meta.url));
const dirs: string[] = [];
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratchFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "hypertune-collect-"));
  dirs.push(dir);
  return join(dir, "metrics.log");
}

function startCollect(file: string) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", ENTRY, "collect", "--file", file, "--poll-ms", "20"],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (b: Buffer) => {
    stdout += b.toString();
  });
  child.stderr?.on("data", (b: Buffer) => {
    stderr += b.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal })),
  );
  const waitFor = async (expected: string, timeoutMs = 20_000, stream: "stdout" | "stderr" = "stdout") => {
    const end = Date.now() + timeoutMs;
    while (!(stream === "stdout" ? stdout : stderr).includes(expected)) {
      if (Date.now() > end) throw new Error(`no "${expected}" in stdout:\n${stdout}\nstderr:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { child, exited, waitFor, out: () => stdout, err: () => stderr };
}

describe("hypertune collect", () => {
  it("waits for the file, prints appended lines as they come, and re-reads a truncated file", async () => {
    const file = scratchFile();
    const collect = startCollect(file);
    await collect.waitFor("waiting for", 20_000, "stderr");
    writeFileSync(file, "step=1 accuracy=0.5\n");
    await collect.waitFor("step=1 accuracy=0.5\n");
    appendFileSync(file, "step=2 accur");
    appendFileSync(file, "acy=0.6\n");
    await collect.waitFor("step=2 accuracy=0.6\n");
    // Truncated in place and written again: read from the top.
    truncateSync(file, 0);
    appendFileSync(file, "restarted=1\n");
    await collect.waitFor("restarted=1\n");
    // Rotated: the old name now points to a new file.
    renameSync(file, `${file}.1`);
    writeFileSync(file, "rotated=1\n");
    await collect.waitFor("rotated=1\n");
    collect.child.kill("SIGTERM");
    expect(await collect.exited).toEqual({ code: 0, signal: null });
    expect(collect.out()).toBe("step=1 accuracy=0.5\nstep=2 accuracy=0.6\nrestarted=1\nrotated=1\n");
  });

  it("on SIGTERM prints what is left, a last line without a break included, and exits 0 promptly", async () => {
    const file = scratchFile();
    writeFileSync(file, "");
    const collect = startCollect(file);
    appendFileSync(file, "loss=0.3\n");
    await collect.waitFor("loss=0.3\n");
    appendFileSync(file, "loss=0.2\nfinal=1");
    collect.child.kill("SIGTERM");
    const started = Date.now();
    expect(await collect.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(collect.out()).toBe("loss=0.3\nloss=0.2\nfinal=1\n");
  });

  it("exits 0 on SIGTERM when the file never appeared", async () => {
    const collect = startCollect(scratchFile());
    await collect.waitFor("waiting for", 20_000, "stderr");
    collect.child.kill("SIGTERM");
    expect(await collect.exited).toEqual({ code: 0, signal: null });
    expect(collect.out()).toBe("");
  });

  it("skips an overlong line with a note, and keeps going", async () => {
    const file = scratchFile();
    writeFileSync(file, `${"x".repeat(200_000)}\nafter=1\n`);
    const collect = startCollect(file);
    await collect.waitFor("after=1\n");
    collect.child.kill("SIGTERM");
    expect(await collect.exited).toEqual({ code: 0, signal: null });
    expect(collect.out()).toBe("after=1\n");
    expect(collect.err()).toMatch(/skipped a line .* longer than 64 KiB/);
  });

  it("needs --file", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", ENTRY, "collect"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (b: Buffer) => {
      stderr += b.toString();
    });
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/--file PATH is required/);
  });
});
