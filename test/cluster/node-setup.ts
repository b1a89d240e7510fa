// vitest globalSetup of the `node` project: the tests that need real
// containers. Checks up front that this host can run a real node (root, runc,
// CNI plugins, Docker for the images) and stops with one message if not;
// then builds the binaries and images (no-ops when warm), starts the control
// plane with one real node and two fake GPUs, and puts the images on it.
// HYPERTUNE_TEST_KUBECONFIG=PATH reuses a running real-node cluster
// (npm run cluster:up, then npm run cluster:load for the images).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { runBuild, runImageBuild, withHarnessDocker } from "./build.js";
import { checkRealNodeHost } from "./node/preflight.js";
import { startRealNodeCluster } from "./node/real-node-cluster.js";
import { nodeTestImages } from "./node/test-images.js";

declare module "vitest" {
  export interface ProvidedContext {
    kubeconfigPath: string;
    clusterLogDir: string;
  }
}

const gpus = Number(process.env.HYPERTUNE_TEST_GPUS ?? 2);

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const reuse = process.env.HYPERTUNE_TEST_NODE_KUBECONFIG;
  if (reuse) {
    project.provide("kubeconfigPath", reuse);
    project.provide("clusterLogDir", "(a cluster started outside the tests)");
    return undefined;
  }
  await checkRealNodeHost();
  // The older set too, for kube-v1.29.last.test.ts: built here, where no hook timeout applies.
  await runBuild(["--also", "v1.29"]);
  const dir = await mkdtemp(join(tmpdir(), "hypertune-node-"));
  const logDir = join(dir, "logs");
  let started = Date.now();
  // Docker only while images are built and put on the node.
  const cluster = await withHarnessDocker(async () => {
    await runImageBuild();
    started = Date.now();
    return startRealNodeCluster({
      kubeconfigPath: join(dir, "admin.kubeconfig"),
      logDir,
      gpus,
      images: Object.values(nodeTestImages),
    });
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.error(`real-node test cluster up in ${seconds}s: ${cluster.apiServerUrl}, logs in ${logDir}`);
  project.provide("kubeconfigPath", cluster.kubeconfigPath);
  project.provide("clusterLogDir", logDir);
  return async () => {
    await cluster.stop();
    await rm(cluster.kubeconfigPath, { force: true });
  };
}
