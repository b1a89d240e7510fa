// Runs after every other real-node test (see last-file-sequencer.ts): with
// the node busy (a pod running, its mounts, chains, bridge and processes
// live) and its owner not asked, `npm run cluster:down` from outside undoes
// everything the node did to the host, and before that a new node refuses to
// start over the leftovers. The project's teardown then finds nothing to stop.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { hostLeftovers } from "../cluster/node/cleanup.js";
import { bridge, egressChain, runRoot, stateRoot } from "../cluster/node/layout.js";
import { checkRealNodeHost } from "../cluster/node/preflight.js";
import { nodeTestImages } from "../cluster/node/test-images.js";
import { clients } from "../integration/operator-helpers.js";
import { waitFor } from "../support/wait.js";
import { nodeScriptPod, restrictedNamespace } from "./pods.js";

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, "..", "..");
const { core } = clients();

async function iptablesRules(): Promise<string> {
  const tables = await Promise.all(
    ["filter", "nat", "mangle"].map((t) => run("iptables", ["-w", "-t", t, "-S"]).then((r) => r.stdout)),
  );
  return tables.join("\n");
}

const ourMounts = () =>
  readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((line) => line.split(" ")[4] ?? "")
    .filter((p) => p.startsWith(`${stateRoot}/`) || p.startsWith(`${runRoot}/`));

describe("cluster:down on a live node whose owner is not asked", () => {
  it("leaves no process, container, mount, chain, bridge or directory behind", async () => {
    const ns = await restrictedNamespace(core, "cleanup");
    await core.createNamespacedPod({
      namespace: ns,
      body: nodeScriptPod("busy", nodeTestImages.operator, "setInterval(() => {}, 1000)"),
    });
    await waitFor("a running pod", async () => {
      const pod = await core.readNamespacedPod({ name: "busy", namespace: ns });
      return pod.status?.phase === "Running";
    });
    // The state a crashed run leaves: all of it is there, and a new node refuses to start over it.
    expect(ourMounts().length).toBeGreaterThan(0);
    expect(await iptablesRules()).toContain(egressChain);
    await expect(checkRealNodeHost()).rejects.toThrow(/left state on this host.*npm run cluster:down/s);
    // The pods' veths on the bridge: they go only if their network namespaces do.
    const veths = (await run("ip", ["-o", "link", "show", "master", bridge.name])).stdout
      .split("\n")
      .map((line) => line.split(": ")[1]?.split("@")[0])
      .filter((name): name is string => !!name);
    expect(veths.length).toBeGreaterThan(0);

    const { stderr } = await run("npm", ["run", "--silent", "cluster:down"], { cwd: repo });
    expect(stderr).toMatch(/undid the test node's host changes/);

    expect(await hostLeftovers()).toEqual([]);
    expect(ourMounts()).toEqual([]);
    const rules = await iptablesRules();
    expect(rules).not.toContain(egressChain);
    expect(rules).not.toMatch(/KUBE-/);
    await expect(run("ip", ["link", "show", bridge.name])).rejects.toThrow();
    for (const veth of veths) await expect(run("ip", ["link", "show", veth])).rejects.toThrow();
    // And a new node could start here now.
    await expect(checkRealNodeHost()).resolves.toBeUndefined();
  });
});
