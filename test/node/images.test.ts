// The images `npm run images` builds (test/images/build.sh), in the harness's
// own dockerd: they run as the cluster runs them (non-root, read-only root, no
// capabilities), and the proxy CA that `npm ci` needed stays in the build base.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const repo = fileURLToPath(new URL("../..", import.meta.url));
const dockerdScript = join(repo, "test/images/dockerd.sh");
const env = { ...process.env, DOCKER_HOST: "unix:///run/hypertune-docker/docker.sock" };
const caBundle = "/etc/ssl/certs/ca-certificates.crt";
// The build base is tagged with the Node.js version the Dockerfile pins.
const dockerfile = readFileSync(join(repo, "Dockerfile"), "utf8");
const nodeVersion = /^ARG NODE_IMAGE=node:([0-9.]+)-/m.exec(dockerfile)?.[1];
const buildBase = `hypertune-test/node-build:${nodeVersion}`;
// How the cluster runs them: restricted Pod Security, and no network needed.
const restricted = ["--network", "none", "--read-only", "--user", "1000:1000", "--cap-drop", "ALL"];

let startedDockerd = false;

beforeAll(async () => {
  // The node project's setup stops the daemon once images are on the node.
  const running = await run("bash", [dockerdScript, "status"]).then(
    () => true,
    () => false,
  );
  if (!running) {
    await run("bash", [dockerdScript, "start"]);
    startedDockerd = true;
  }
});
afterAll(async () => {
  if (startedDockerd) await run("bash", [dockerdScript, "stop"]);
});

function docker(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run("docker", args, { env, timeout: 60_000 });
}

async function envOf(image: string): Promise<string[]> {
  const { stdout } = await docker("image", "inspect", "-f", "{{json .Config.Env}}", image);
  return JSON.parse(stdout) as string[];
}

async function hasCaBundle(image: string): Promise<boolean> {
  const probe = `console.log(require("node:fs").existsSync(${JSON.stringify(caBundle)}))`;
  const { stdout } = await docker("run", "--rm", ...restricted, "--entrypoint", "node", image, "-e", probe);
  return stdout.trim() === "true";
}

describe("hypertune:dev", () => {
  it("runs --help as uid 1000 on a read-only root with no capabilities", async () => {
    const { stdout } = await docker("run", "--rm", ...restricted, "hypertune:dev", "--help");
    expect(stdout).toContain("Usage: hypertune");
  });

  it("carries no proxy CA, which its build base does", async () => {
    expect(nodeVersion).toBeDefined();
    expect(await envOf("hypertune:dev")).not.toContainEqual(expect.stringMatching(/^NODE_EXTRA_CA_CERTS=/));
    expect(await hasCaBundle("hypertune:dev")).toBe(false);
    // The same checks on the build base, so that they can fail.
    expect(await envOf(buildBase)).toContain(`NODE_EXTRA_CA_CERTS=${caBundle}`);
    expect(await hasCaBundle(buildBase)).toBe(true);
  });
});

describe("hypertune-quickstart:dev", () => {
  const metric = /^hypertune: step=1 val_accuracy=0\.\d+ loss=\d/m;

  it("runs a one-epoch trial from its entrypoint", async () => {
    const { stdout } = await docker("run", "--rm", ...restricted, "hypertune-quickstart:dev", "--epochs=1");
    expect(stdout).toMatch(metric);
  });

  it("runs one as tuningjob.yaml's command does, from the working directory", async () => {
    const { stdout } = await docker(
      "run",
      "--rm",
      ...restricted,
      "--entrypoint",
      "node",
      "hypertune-quickstart:dev",
      "train.mjs",
      "--lr=0.3",
      "--hidden=16",
      "--epochs=1",
      "--seed=1",
    );
    expect(stdout).toMatch(metric);
  });
});
