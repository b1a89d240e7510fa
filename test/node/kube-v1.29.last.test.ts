// The oldest Kubernetes release the chart claims (1.29, the oldest 1.2x the Go
// module proxy serves): a control plane and a real node of v1.29.6, built by
// build.sh --also v1.29, started here after the shared v1.37 node is gone
// (cleanup.last.test.ts), with the chart and quickstart cases of the pinned release.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extraBinDir, extraKubeVersion } from "../cluster/binaries.js";
import { runBuild, withHarnessDocker } from "../cluster/build.js";
import type { Cluster } from "../cluster/cluster.js";
import { startRealNodeCluster } from "../cluster/node/real-node-cluster.js";
import { nodeTestImages } from "../cluster/node/test-images.js";
import { clients, useKubeconfig } from "../integration/operator-helpers.js";
import { chartQuickstartCases } from "./chart-quickstart-cases.js";

let cluster: Cluster | undefined;
let connected: ReturnType<typeof clients> | undefined;
const version = extraKubeVersion("v1.29");

beforeAll(async () => {
  await runBuild(["--also", "v1.29"]);
  const dir = await mkdtemp(join(tmpdir(), "hypertune-node-v1.29-"));
  cluster = await withHarnessDocker(() =>
    startRealNodeCluster({
      kubeconfigPath: join(dir, "admin.kubeconfig"),
      logDir: join(dir, "logs"),
      kubeBinDir: extraBinDir("v1.29"),
      images: Object.values(nodeTestImages),
    }),
  );
  console.error(`v1.29 real-node cluster logs: ${join(dir, "logs")}`);
  useKubeconfig(cluster.kubeconfigPath);
  connected = clients();
}, 600_000);

afterAll(async () => {
  await cluster?.stop();
});

describe(`Kubernetes ${version}`, () => {
  it("is the node's kubelet and API server release", async () => {
    const { core } = clients();
    const [node] = (await core.listNode()).items;
    expect(node?.status?.nodeInfo?.kubeletVersion).toBe(version);
    expect(node?.status?.nodeInfo?.containerRuntimeVersion).toMatch(/^containerd:\/\/2\./);
  });
});

chartQuickstartCases(
  () => {
    if (!connected) throw new Error("the v1.29 cluster did not start");
    return connected;
  },
  // MutatingAdmissionPolicy (admissionregistration.k8s.io/v1) came in 1.36: without it the chart
  // cannot record requesters, and says so unless multi-tenancy is turned off.
  { maxTrials: 6, values: ["--set", "multiTenancy.enabled=false"] },
);
