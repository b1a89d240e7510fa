import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, describe, expect, test } from "vitest";
import type { CliIo } from "../../../src/cli/command.js";
import { pluginMain } from "../../../src/cli/kubectlPlugin.js";
import { main } from "../../../src/cli/main.js";

async function capture(run: (io: CliIo) => Promise<number>) {
  let stdout = "";
  let stderr = "";
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const code = await run({ stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)) });
  return { code, stdout, stderr };
}

describe("kubectl hypertune: the read commands of the same CLI", () => {
  test("lists get and describe and says why it is the same program", async () => {
    const { code, stdout } = await capture((io) => pluginMain([], io));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ {2}get {7}/m);
    expect(stdout).toMatch(/^ {2}describe {2}/m);
    expect(stdout).toContain("one implementation, two entry");
    expect(stdout).not.toMatch(/^ {2}run /m);
  });

  test("another command is a usage error that lists the read commands", async () => {
    const { code, stderr } = await capture((io) => pluginMain(["run", "job.yaml"], io));
    expect(code).toBe(2);
    expect(stderr).toContain('kubectl hypertune: unknown command "run"');
    expect(stderr).toContain("only the read commands get, describe");
  });

  test("help and usage errors name the plugin; the hypertune command's help is unchanged", async () => {
    const help = await capture((io) => pluginMain(["describe", "--help"], io));
    expect(help.stdout).toMatch(/^Usage: kubectl hypertune describe NAME/);
    const own = await capture((io) => main(["help", "describe"], io));
    expect(own.stdout).toMatch(/^Usage: hypertune describe NAME/);
    const usage = await capture((io) => pluginMain(["get", "a", "b"], io));
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('kubectl hypertune get: get takes at most one name; unexpected "b"');
    expect(usage.stderr).toContain('Run "kubectl hypertune help get" for usage.');
  });
});

describe("--context, shared by get, describe and operator", () => {
  const kubeconfig = join(tmpdir(), `hypertune-plugin-test-${process.pid}.yaml`);
  writeFileSync(
    kubeconfig,
    [
      "apiVersion: v1",
      "kind: Config",
      "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]",
      "users: [{name: u, user: {token: t}}]",
      "contexts: [{name: one, context: {cluster: c, user: u}}, {name: two, context: {cluster: c, user: u}}]",
      "current-context: one",
    ].join("\n"),
  );
  afterAll(() => rmSync(kubeconfig, { force: true }));

  test.each([["get"], ["describe", "x"], ["operator"]])(
    "%s: an unknown context is a usage error naming the known ones",
    async (...command) => {
      const { code, stderr } = await capture((io) =>
        main([...command, "--kubeconfig", kubeconfig, "--context", "three"], io),
      );
      expect(code).toBe(2);
      expect(stderr).toContain('no context "three" in the kubeconfig (it has one, two)');
    },
  );

  test("a cluster that does not answer: exit 1 with its address and the context", async () => {
    const { code, stderr } = await capture((io) =>
      pluginMain(["describe", "x", "--kubeconfig", kubeconfig, "--context", "two"], io),
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^kubectl hypertune describe: cannot reach the cluster at https:\/\/127.0.0.1:1 \(context "two"\)/,
    );
  });
});
