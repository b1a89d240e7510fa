// containerd 2.x for the real node, on a socket and state dirs of its own
// (never the machine's containerd), with Debian's runc and CNI plugins.
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Component, startComponent, waitUntil } from "../process.js";
import { dockerEnv } from "./docker.js";
import { sh } from "./exec.js";
import { bridge, cniNetwork, paths, sandboxImage } from "./layout.js";

export const runcPath = "/usr/sbin/runc";
export const cniBinDir = "/usr/lib/cni";

function config(): string {
  return `version = 3
root = "${paths.containerdRoot}"
state = "${paths.containerdState}"
[grpc]
  address = "${paths.containerdSocket}"
[ttrpc]
  address = "${paths.containerdSocket}.ttrpc"
[plugins.'io.containerd.cri.v1.images']
  snapshotter = "overlayfs"
  [plugins.'io.containerd.cri.v1.images'.pinned_images]
    sandbox = "${sandboxImage}"
[plugins.'io.containerd.cri.v1.runtime']
  # Root here may lack CAP_SYS_RESOURCE, and then runc cannot set the negative
  # oom_score_adj the kubelet asks for each sandbox ("can't get final child's
  # PID from pipe: EOF"). Clamp to containerd's own.
  restrict_oom_score_adj = true
  # Pods' network namespaces under our state dir, not /run/netns: cleanup then
  # finds them with the other mounts, and their veths go with them.
  netns_mounts_under_state_dir = true
  [plugins.'io.containerd.cri.v1.runtime'.containerd]
    default_runtime_name = "runc"
    [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
        BinaryName = "${runcPath}"
        SystemdCgroup = false
  [plugins.'io.containerd.cri.v1.runtime'.cni]
    bin_dirs = ["${cniBinDir}"]
    conf_dir = "${paths.cniConfigDir}"
`;
}

// No masquerade, no port maps, no firewall plugin: the egress chain in
// network.ts is the only filter, and it is ours to remove.
function cniConfig(): string {
  return JSON.stringify(
    {
      cniVersion: "1.0.0",
      name: cniNetwork,
      plugins: [
        {
          type: "bridge",
          bridge: bridge.name,
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: {
            type: "host-local",
            dataDir: paths.cniIpam,
            ranges: [[{ subnet: bridge.subnet, rangeStart: bridge.rangeStart, gateway: bridge.gateway }]],
            routes: [{ dst: "0.0.0.0/0" }],
          },
        },
      ],
    },
    null,
    2,
  );
}

export async function startContainerd(binDir: string, logDir: string, timeoutMs: number): Promise<Component> {
  await writeFile(paths.containerdConfig, config());
  await writeFile(join(paths.cniConfigDir, "10-hypertune.conflist"), cniConfig());
  const containerd = startComponent(
    "containerd",
    join(binDir, "containerd"),
    ["--config", paths.containerdConfig],
    {
      logDir,
      // containerd finds its shim on PATH: ours (2.x), never a system 1.x one.
      env: { ...process.env, PATH: `${binDir}:${process.env.PATH ?? ""}` },
    },
  );
  await waitUntil("containerd to answer", () => ctrOk(binDir), { timeoutMs, watch: [containerd] });
  return containerd;
}

async function ctrOk(binDir: string): Promise<boolean> {
  await sh(join(binDir, "ctr"), ["--address", paths.containerdSocket, "version"]);
  return true;
}

/** Image references the CRI plugin (namespace k8s.io) already holds. */
export async function nodeImages(binDir: string): Promise<string[]> {
  const out = await sh(join(binDir, "ctr"), [
    "--address",
    paths.containerdSocket,
    "-n",
    "k8s.io",
    "images",
    "ls",
    "-q",
  ]);
  return out.split("\n").filter(Boolean);
}

/** Containers containerd holds for pods of `namespace` (the CRI plugin labels them). */
export async function containersOfNamespace(binDir: string, namespace: string): Promise<string[]> {
  const out = await sh(join(binDir, "ctr"), [
    "--address",
    paths.containerdSocket,
    "-n",
    "k8s.io",
    "containers",
    "ls",
    "-q",
    `labels."io.kubernetes.pod.namespace"==${namespace}`,
  ]);
  return out.split("\n").filter(Boolean);
}

/**
 * Puts local Docker images on the node, as `kind load docker-image` does:
 * `docker save | ctr images import`, pinned so the kubelet's image GC keeps them.
 */
export async function loadImages(binDir: string, images: string[]): Promise<void> {
  for (const image of images) {
    await pipe(
      ["docker", "save", image],
      [
        join(binDir, "ctr"),
        "--address",
        paths.containerdSocket,
        "-n",
        "k8s.io",
        "images",
        "import",
        "--label",
        "io.cri-containerd.pinned=pinned",
        "-",
      ],
    );
  }
}

function pipe(from: string[], to: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const [fromCmd = "", ...fromArgs] = from;
    const [toCmd = "", ...toArgs] = to;
    const source = spawn(fromCmd, fromArgs, { stdio: ["ignore", "pipe", "pipe"], env: dockerEnv() });
    const sink = spawn(toCmd, toArgs, { stdio: ["pipe", "ignore", "pipe"] });
    let errors = "";
    source.stderr.on("data", (d) => (errors += d));
    sink.stderr.on("data", (d) => (errors += d));
    source.stdout.pipe(sink.stdin);
    let pending = 2;
    let failed = false;
    const done = (name: string) => (code: number | null) => {
      if (code !== 0 && !failed) {
        failed = true;
        reject(new Error(`${name} exited ${code} loading ${from.at(-1)}: ${errors.trim()}`));
      }
      if (--pending === 0 && !failed) resolve();
    };
    source.once("error", reject);
    sink.once("error", reject);
    source.once("exit", done(fromCmd));
    sink.once("exit", done(toCmd));
  });
}
