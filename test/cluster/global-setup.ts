// vitest globalSetup of the `integration` project: builds the binaries (no-op
// when warm), starts one cluster for all integration tests and hands its
// kubeconfig to them through inject("kubeconfigPath").
// HYPERTUNE_TEST_KUBECONFIG=PATH reuses a running cluster (npm run cluster:up).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { runBuild } from "./build.js";
import { startCluster } from "./cluster.js";
import { collectorInterpreter } from "./collector-image.js";

declare module "vitest" {
  export interface ProvidedContext {
    kubeconfigPath: string;
    /** Folder with one log per cluster process; printed when a test fails. */
    clusterLogDir: string;
  }
}

// Enough for the scheduling and GPU tests; override for local experiments.
const nodes = Number(process.env.HYPERTUNE_TEST_NODES ?? 2);
const gpus = Number(process.env.HYPERTUNE_TEST_GPUS ?? 2);

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const reuse = process.env.HYPERTUNE_TEST_KUBECONFIG;
  if (reuse) {
    project.provide("kubeconfigPath", reuse);
    project.provide("clusterLogDir", "(a cluster started outside the tests)");
    return undefined;
  }
  await runBuild();
  const started = Date.now();
  const dir = await mkdtemp(join(tmpdir(), "hypertune-it-"));
  const logDir = join(dir, "logs");
  const cluster = await startCluster({
    kubeconfigPath: join(dir, "admin.kubeconfig"),
    logDir,
    nodes,
    gpus,
    interpreters: collectorInterpreter(),
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.error(`test cluster up in ${seconds}s: ${cluster.apiServerUrl}, logs in ${logDir}`);
  project.provide("kubeconfigPath", cluster.kubeconfigPath);
  project.provide("clusterLogDir", logDir);
  process.env.HYPERTUNE_TEST_KUBECONFIG = cluster.kubeconfigPath;
  return async () => {
    await cluster.stop();
    // Logs stay (the path was printed); only the kubeconfig goes.
    await rm(cluster.kubeconfigPath, { force: true });
  };
}
