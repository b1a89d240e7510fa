// Cluster access shared by the operator-*.test.ts files: the test cluster's
// kubeconfig, a namespace per test, Jobs and Pods through the API, kubectl,
// and a tiny trainer that runs as `node -e` on the node agent. TuningJobs and
// polling are in test/support/ (tuningjob-api.ts, wait.ts).
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import {
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  type V1Job,
  type V1Pod,
} from "@kubernetes/client-node";
import { inject } from "vitest";
import { defaultBinDir } from "../cluster/binaries.js";
import { applyCrds, readCrds } from "../cluster/crds.js";
import type { Json } from "../support/tuningjob-api.js";

const run = promisify(execFile);

let kubeconfigOverride: string | undefined;
/** Points every helper of this file at another cluster: for a test file that starts its own. */
export function useKubeconfig(path: string): void {
  kubeconfigOverride = path;
}
export const kubeconfigPath = (): string => kubeconfigOverride ?? inject("kubeconfigPath");

export function clients() {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath());
  return {
    kc,
    core: kc.makeApiClient(CoreV1Api),
    batch: kc.makeApiClient(BatchV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
  };
}

export async function installCrds(kc: KubeConfig): Promise<void> {
  await applyCrds(kc, await readCrds(resolve(import.meta.dirname, "..", "..", "crds")));
}

/** A namespace with a random suffix. */
export async function createNamespace(core: CoreV1Api, prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString("hex")}`;
  await core.createNamespace({ body: { metadata: { name } } });
  return name;
}

export async function jobsOf(batch: BatchV1Api, namespace: string, job: string): Promise<V1Job[]> {
  return (await batch.listNamespacedJob({ namespace, labelSelector: `hypertune.dev/job=${job}` })).items;
}

export async function podsOf(core: CoreV1Api, namespace: string, job: string): Promise<V1Pod[]> {
  return (await core.listNamespacedPod({ namespace, labelSelector: `hypertune.dev/job=${job}` })).items;
}

export function conditionTrue(object: Json, type: string): boolean {
  return (object.status?.conditions ?? []).some((c: Json) => c.type === type && c.status === "True");
}

export async function kubectl(...args: string[]): Promise<string> {
  // build.sh's bin dir (XDG_CACHE_HOME-aware), not whichever version sorts first under ~/.cache.
  const bin = join(defaultBinDir(), "kubectl");
  const { stdout } = await run(bin, ["--kubeconfig", kubeconfigPath(), ...args]);
  return stdout;
}

/** Is the process alive? (signal 0 checks without signalling) */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A trainer for `node -e`: reports `step=N <metric>=V` every `stepMs` for
 * `steps` steps, where V is argv[1] (the substituted parameter) times the step
 * divided by `steps`, so the last report equals the parameter.
 */
export function trainerScript(metric = "accuracy", steps = 3, stepMs = 100): string {
  return [
    "const x = Number(process.argv[1]);",
    `let step = 0; const tick = () => { step++;`,
    `  console.log('step=' + step + ' ${metric}=' + (x * step / ${steps}));`,
    `  if (step < ${steps}) setTimeout(tick, ${stepMs}); };`,
    "tick();",
  ].join("\n");
}

/** A TuningJob running `node -e script ${params.x}`, restricted-PSS settings included. */
export function nodeTuningJob(name: string, spec: Json, script = trainerScript()): Json {
  const { container = {}, ...rest } = spec;
  return {
    apiVersion: "hypertune.dev/v1alpha1",
    kind: "TuningJob",
    metadata: { name },
    spec: {
      objective: { metric: "accuracy", direction: "Maximize" },
      parameters: [{ name: "x", type: "Float", min: 0, max: 1 }],
      search: { strategy: "Random", seed: 3 },
      ...rest,
      trialTemplate: {
        job: {
          template: {
            spec: {
              restartPolicy: "Never",
              containers: [
                {
                  name: "train",
                  image: "node:20-slim",
                  command: ["node", "-e", script],
                  args: ["${params.x}"],
                  ...container,
                },
              ],
            },
          },
        },
        ...spec.trialTemplate,
      },
    },
  };
}
