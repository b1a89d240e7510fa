// The test cluster's control plane itself: the pinned version is what runs,
// port clashes are survived, a missing build is explained, and the project's
// CRDs install cleanly on a real API server.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import {
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  type V1CustomResourceDefinition,
  VersionApi,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { defaultBinDir, kubeVersion } from "../cluster/binaries.js";
import { startControlPlane } from "../cluster/control-plane.js";
import { applyCrds, readCrds } from "../cluster/crds.js";
import { allocatePorts } from "../cluster/ports.js";

const run = promisify(execFile);
const kubeconfigPath = inject("kubeconfigPath");
const kc = new KubeConfig();
kc.loadFromFile(kubeconfigPath);

function listen(port = 0): Promise<Server> {
  return new Promise((ok, fail) => {
    const server = createServer((socket) => socket.destroy());
    server.once("error", fail);
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => ok(server));
  });
}
const portOf = (server: Server) => (server.address() as { port: number }).port;
const close = (server: Server) => new Promise<void>((ok) => server.close(() => ok()));

describe("control plane", () => {
  it("serves the Kubernetes version pinned in test/cluster/kube/go.mod", async () => {
    const version = await kc.makeApiClient(VersionApi).getCode();
    expect(version.gitVersion).toBe(kubeVersion());
    expect(`v${version.major}.${version.minor}`).toBe(kubeVersion().replace(/\.\d+$/, ""));

    // kubectl is built with the same version stamps and talks to the server.
    const kubectl = join(defaultBinDir(), "kubectl");
    const { stdout } = await run(kubectl, ["--kubeconfig", kubeconfigPath, "version", "-o", "json"]);
    const both = JSON.parse(stdout) as {
      clientVersion: { gitVersion: string };
      serverVersion: { gitVersion: string };
    };
    expect(both.clientVersion.gitVersion).toBe(kubeVersion());
    expect(both.serverVersion.gitVersion).toBe(kubeVersion());
  });

  it("builds helm and kubeconform next to the cluster binaries", async () => {
    const helm = await run(join(defaultBinDir(), "helm"), ["version", "--short"]);
    expect(helm.stdout).toMatch(/^v\d+\./);
    const kubeconform = await run(join(defaultBinDir(), "kubeconform"), ["-v"]);
    expect(kubeconform.stdout + kubeconform.stderr).toMatch(/\d+\.\d+/);
  });

  it("skips a port that something already listens on", async () => {
    const occupied = await listen();
    try {
      const taken: number[] = [];
      function* candidates() {
        yield portOf(occupied);
        for (let p = 20_000; p < 32_000; p++) yield p;
      }
      const [port] = await allocatePorts(1, { candidates: candidates(), onTaken: (p) => taken.push(p) });
      expect(taken[0]).toBe(portOf(occupied));
      expect(port).not.toBe(portOf(occupied));
    } finally {
      await close(occupied);
    }
  });

  it("starts over with new ports when a component finds its port taken", async () => {
    // The allocator's check and the bind are not atomic; simulate losing that
    // race by handing kube-apiserver a port that is already in use.
    const occupied = await listen();
    const logDir = await mkdtemp(join(tmpdir(), "hypertune-cp-retry-"));
    let calls = 0;
    const cp = await startControlPlane({
      logDir,
      async allocatePorts(count) {
        const ports = await allocatePorts(count);
        if (calls++ === 0) ports[2] = portOf(occupied); // [etcd client, etcd peer, kube-apiserver, …]
        return ports;
      },
    });
    try {
      expect(cp.portRetries).toBe(1);
      expect(cp.apiServerUrl).not.toContain(`:${portOf(occupied)}`);
      const second = new KubeConfig();
      second.loadFromFile(cp.kubeconfigPath);
      expect((await second.makeApiClient(VersionApi).getCode()).gitVersion).toBe(kubeVersion());
    } finally {
      await cp.stop();
      await close(occupied);
      await rm(logDir, { recursive: true, force: true });
    }
    // Stopped means stopped: nothing it started is left running.
    for (const { pid } of cp.processes) expect(() => process.kill(pid, 0)).toThrow();
  });

  it("names build.sh when the binaries are missing", async () => {
    const empty = await mkdtemp(join(tmpdir(), "hypertune-no-bins-"));
    try {
      await expect(startControlPlane({ binDir: empty })).rejects.toThrow(
        /missing test cluster binaries.*etcd, kube-apiserver, kube-controller-manager, kube-scheduler.*build\.sh/,
      );
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe("the project's CRDs", () => {
  const crdDir = resolve(import.meta.dirname, "..", "..", "crds");
  let written: V1CustomResourceDefinition[] = [];
  let applied: V1CustomResourceDefinition[] = [];

  beforeAll(async () => {
    written = await readCrds(crdDir);
    applied = await applyCrds(kc, written);
  });

  it("are found in crds/ and become Established with structural schemas", () => {
    expect(applied.length).toBeGreaterThanOrEqual(2);
    for (const crd of applied) {
      const conditions = crd.status?.conditions ?? [];
      expect(conditions.find((c) => c.type === "Established")?.status, crd.metadata?.name).toBe("True");
      expect(
        conditions.find((c) => c.type === "NonStructuralSchema"),
        crd.metadata?.name,
      ).toBeUndefined();
    }
  });

  it("are stored exactly as written (no schema key lost on the way)", () => {
    const versions = (crds: V1CustomResourceDefinition[]) =>
      Object.fromEntries(crds.map((crd) => [crd.metadata?.name, crd.spec.versions]));
    expect(versions(applied)).toEqual(versions(written));
  });

  // Minimal valid objects of each kind, following DESIGN.md.
  const samples: Record<string, { spec: object; status: object }> = {
    TuningJob: {
      spec: {
        objective: { metric: "accuracy", direction: "Maximize" },
        parameters: [{ name: "lr", type: "Float", min: 0.001, max: 0.1 }],
        trialTemplate: {
          job: {
            template: { spec: { restartPolicy: "Never", containers: [{ name: "train", image: "train:1" }] } },
          },
        },
      },
      status: { phase: "Running", message: "patched by the control-plane test" },
    },
    Trial: {
      spec: { tuningJob: "sample", index: 0, parameters: { lr: 0.01 } },
      status: { phase: "Running", message: "patched by the control-plane test" },
    },
  };
  const namespace = "default";
  const created: { group: string; version: string; plural: string; name: string }[] = [];

  afterAll(async () => {
    const api = kc.makeApiClient(CustomObjectsApi);
    for (const ref of created)
      await api.deleteNamespacedCustomObject({ ...ref, namespace }).catch(() => undefined);
  });

  it("take a merge patch on /status without touching spec", async () => {
    const api = kc.makeApiClient(CustomObjectsApi);
    const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
    const withSample = applied.filter((crd) => crd.spec.names.kind in samples);
    expect(withSample.length, "CRDs for TuningJob or Trial").toBeGreaterThan(0);
    for (const crd of withSample) {
      const kind = crd.spec.names.kind;
      const sample = samples[kind] as { spec: object; status: object };
      const version = crd.spec.versions.find((v) => v.storage)?.name ?? "";
      expect(
        crd.spec.versions.find((v) => v.name === version)?.subresources?.status,
        `${kind} has /status`,
      ).toBeDefined();
      const ref = {
        group: crd.spec.group,
        version,
        plural: crd.spec.names.plural,
        name: `status-${kind.toLowerCase()}-${Date.now()}`,
      };
      const body = {
        apiVersion: `${ref.group}/${version}`,
        kind,
        metadata: { name: ref.name },
        spec: sample.spec,
      };
      await api.createNamespacedCustomObject({ ...ref, namespace, body });
      created.push(ref);

      // Status sent to the main resource is dropped when /status is a subresource.
      const ignored = await api.patchNamespacedCustomObject(
        { ...ref, namespace, body: { status: { message: "via main resource" } } },
        mergePatch,
      );
      expect(ignored.status?.message).toBeUndefined();

      const patched = await api.patchNamespacedCustomObjectStatus(
        { ...ref, namespace, body: { status: sample.status } },
        mergePatch,
      );
      expect(patched.status, kind).toMatchObject(sample.status);
      const read = await api.getNamespacedCustomObject({ ...ref, namespace });
      expect(read.status).toMatchObject(sample.status);
      expect(read.spec).toMatchObject(sample.spec);
    }
  });
});
