// The real node itself, before any operator runs on it: what the kubelet and
// container runtime enforce, as users' clusters do. Every pod here runs in a
// container of a locally built image under `restricted` Pod Security.
import { createServer, type Server } from "node:net";
import { networkInterfaces } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubeVersion } from "../cluster/binaries.js";
import { bridge } from "../cluster/node/layout.js";
import { nodeTestImages } from "../cluster/node/test-images.js";
import { clients } from "../integration/operator-helpers.js";
import { waitFor } from "../support/wait.js";
import { finishedPod, nodeScriptPod, podLog, restrictedContainer, restrictedNamespace } from "./pods.js";

const { core } = clients();
const image = nodeTestImages.operator;
let ns = "";

beforeAll(async () => {
  ns = await restrictedNamespace(core, "node");
});
afterAll(async () => {
  await core.deleteNamespace({ name: ns }).catch(() => undefined);
});

describe("the node", () => {
  it("is a kubelet of the pinned release on containerd 2.x", async () => {
    const { items } = await core.listNode();
    expect(items).toHaveLength(1);
    const info = items[0]?.status?.nodeInfo;
    expect(info?.kubeletVersion).toBe(kubeVersion());
    expect(info?.containerRuntimeVersion).toMatch(/^containerd:\/\/2\./);
    expect(items[0]?.status?.addresses).toContainEqual({ type: "InternalIP", address: bridge.gateway });
  });
});

describe("a restricted pod", () => {
  it("runs as non-root on a read-only root, reaches the API server in-cluster, and leaves a termination message", async () => {
    // What the operator does at start: in-cluster config from the Service env and the projected token.
    const script = `
      const fs = require("node:fs"), https = require("node:https");
      const sa = "/var/run/secrets/kubernetes.io/serviceaccount";
      let readOnly = "writable";
      try { fs.writeFileSync("/probe", "x"); } catch (e) { readOnly = e.code; }
      console.log("uid=" + process.getuid() + " root=" + readOnly);
      https.get({
        host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT, path: "/version",
        ca: fs.readFileSync(sa + "/ca.crt"),
        headers: { authorization: "Bearer " + fs.readFileSync(sa + "/token", "utf8") },
      }, (res) => {
        let body = ""; res.on("data", (d) => (body += d));
        res.on("end", () => {
          console.log("version=" + JSON.parse(body).gitVersion);
          fs.writeFileSync("/dev/termination-log", "finished in a container");
        });
      }).on("error", (e) => { console.log("error=" + e.message); process.exit(1); });`;
    await core.createNamespacedPod({ namespace: ns, body: nodeScriptPod("incluster", image, script) });
    const pod = await finishedPod(core, ns, "incluster");
    const log = await podLog(core, ns, "incluster");
    expect(log).toContain("uid=1000 root=EROFS");
    expect(log).toContain(`version=${kubeVersion()}`);
    expect(pod.status?.phase).toBe("Succeeded");
    const status = pod.status?.containerStatuses?.[0];
    expect(status?.containerID).toMatch(/^containerd:\/\//);
    expect(status?.state?.terminated?.message).toBe("finished in a container");
  });

  it("is refused at admission when it asks for root", async () => {
    const root = nodeScriptPod("root", image, "1", { securityContext: { runAsUser: 0 } });
    await expect(core.createNamespacedPod({ namespace: ns, body: root })).rejects.toThrow(
      /violates PodSecurity\W+restricted:latest/,
    );
  });

  it("runs a native sidecar beside the main container, which the kubelet stops when main ends", async () => {
    const sidecar = {
      name: "sidecar",
      image,
      restartPolicy: "Always",
      command: [
        "node",
        "-e",
        // A sidecar ends on SIGTERM, as the File collector does; node as PID 1 would
        // otherwise ignore it and the kubelet wait out the 30 s grace period.
        `require("node:fs").writeFileSync("/shared/ready", "from the sidecar"); setInterval(() => {}, 1000); process.on("SIGTERM", () => process.exit(0));`,
      ],
      volumeMounts: [{ name: "shared", mountPath: "/shared" }],
      ...restrictedContainer,
    };
    const body = nodeScriptPod(
      "sidecar",
      image,
      `console.log(require("node:fs").readFileSync("/shared/ready", "utf8"))`,
      {
        initContainers: [sidecar],
        volumes: [{ name: "shared", emptyDir: {} }],
        container: { volumeMounts: [{ name: "shared", mountPath: "/shared" }] },
      },
    );
    await core.createNamespacedPod({ namespace: ns, body });
    const pod = await finishedPod(core, ns, "sidecar");
    expect(await podLog(core, ns, "sidecar", "main")).toContain("from the sidecar");
    expect(pod.status?.phase).toBe("Succeeded");
    expect(pod.status?.initContainerStatuses?.[0]?.state?.terminated).toBeDefined();
  });
});

describe("pod egress", () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((socket) => socket.end("hello from the host\n"));
    await new Promise<void>((ok) => server.listen(0, "0.0.0.0", ok));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  // The host's own addresses off the bridge: reaching them would mean reaching past the node.
  const hostAddresses = () =>
    Object.entries(networkInterfaces())
      .filter(([name]) => name !== "lo" && name !== bridge.name && !name.startsWith("veth"))
      .flatMap(([, list]) => list ?? [])
      .filter((a) => a.family === "IPv4" && !a.internal)
      .map((a) => a.address);

  it("reaches the bridge's own address but none of the host's other addresses", async () => {
    const targets = [bridge.gateway, ...hostAddresses()];
    expect(targets.length).toBeGreaterThan(1);
    const script = `
      const net = require("node:net");
      const probe = (host) => new Promise((ok) => {
        const s = net.connect({ host, port: ${port}, timeout: 3000 });
        s.on("data", () => { s.destroy(); ok(host + "=open"); });
        s.on("timeout", () => { s.destroy(); ok(host + "=dropped"); });
        s.on("error", (e) => ok(host + "=" + e.code));
      });
      Promise.all(${JSON.stringify(targets)}.map(probe)).then((r) => console.log(r.join(" ")));`;
    await core.createNamespacedPod({ namespace: ns, body: nodeScriptPod("egress", image, script) });
    await finishedPod(core, ns, "egress");
    const result = (await podLog(core, ns, "egress")).trim().split(" ");
    expect(result[0]).toBe(`${bridge.gateway}=open`);
    for (const line of result.slice(1)) expect(line).toMatch(/=dropped$/);
  });
});

describe("fake GPUs", () => {
  it("allocates devices as the NVIDIA plugin does and never more than the node has", async () => {
    const script = `console.log("cuda=" + process.env.CUDA_VISIBLE_DEVICES + " nvidia=" + process.env.NVIDIA_VISIBLE_DEVICES)`;
    const gpuPod = (name: string, count: number) =>
      nodeScriptPod(name, image, script, {
        container: { resources: { limits: { "nvidia.com/gpu": `${count}` } } },
      });
    await core.createNamespacedPod({ namespace: ns, body: gpuPod("gpus2", 2) });
    const pod = await finishedPod(core, ns, "gpus2");
    expect(pod.status?.phase).toBe("Succeeded");
    expect(await podLog(core, ns, "gpus2")).toContain("cuda=0,1 nvidia=0,1");
    // More than the node has: the scheduler keeps it Pending.
    await core.createNamespacedPod({ namespace: ns, body: gpuPod("gpus3", 3) });
    const pending = await waitFor("gpus3 to be unschedulable", async () => {
      const p = await core.readNamespacedPod({ name: "gpus3", namespace: ns });
      const cond = p.status?.conditions?.find((c) => c.type === "PodScheduled");
      return cond?.status === "False" ? cond : undefined;
    });
    expect(pending.message).toMatch(/Insufficient nvidia\.com\/gpu/);
  });
});
