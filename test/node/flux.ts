// Flux as a platform team runs it, against the test cluster: its CRDs, and
// source-controller and kustomize-controller (built by build.sh from
// test/cluster/gitops) as host processes with the harness's admin
// kubeconfig, as Flux's own install gives them cluster-admin. The artifact
// server and the git repository they fetch from listen on loopback.
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultBinDir, requireBinaries } from "../cluster/binaries.js";
import { allocatePorts, releasePorts } from "../cluster/ports.js";
import { type Component, logTail, startComponent } from "../cluster/process.js";
import { kubeconfigPath, kubectl } from "../integration/operator-helpers.js";
import { Hopeless, waitFor } from "../support/wait.js";

export interface Flux {
  logDir: string;
  /** Stops both; the logs are removed unless kept (a failed test prints where they are). */
  stop(options?: { keepLogs?: boolean }): Promise<void>;
}

export async function startFlux(): Promise<Flux> {
  const binDir = defaultBinDir();
  const bins = requireBinaries(binDir, ["source-controller", "kustomize-controller"]);
  const crdDir = join(binDir, "flux-crds");
  const crds = (await readdir(crdDir)).filter((f) => f.endsWith(".yaml"));
  await kubectl("apply", "--server-side", ...crds.flatMap((f) => ["-f", join(crdDir, f)]));
  await kubectl(
    "wait",
    "--for=condition=Established",
    "--timeout=60s",
    "crd/gitrepositories.source.toolkit.fluxcd.io",
    "crd/kustomizations.kustomize.toolkit.fluxcd.io",
  );

  const logDir = await mkdtemp(join(tmpdir(), "hypertune-flux-"));
  await mkdir(join(logDir, "storage"));
  const ports = await allocatePorts(5);
  const [storage, sourceHealth, sourceMetrics, kustomizeHealth, kustomizeMetrics] = ports as [
    number,
    number,
    number,
    number,
    number,
  ];
  const env = { ...process.env, KUBECONFIG: kubeconfigPath(), RUNTIME_NAMESPACE: "flux-system" };
  const common = ["--log-encoding=console", "--log-level=debug", "--enable-leader-election=false"];
  const components: Component[] = [
    startComponent(
      "source-controller",
      bins["source-controller"],
      [
        ...common,
        `--storage-path=${join(logDir, "storage")}`,
        `--storage-addr=127.0.0.1:${storage}`,
        `--storage-adv-addr=127.0.0.1:${storage}`,
        `--health-addr=127.0.0.1:${sourceHealth}`,
        `--metrics-addr=127.0.0.1:${sourceMetrics}`,
      ],
      { logDir, env },
    ),
    startComponent(
      "kustomize-controller",
      bins["kustomize-controller"],
      [
        ...common,
        `--health-addr=127.0.0.1:${kustomizeHealth}`,
        `--metrics-addr=127.0.0.1:${kustomizeMetrics}`,
      ],
      { logDir, env },
    ),
  ];
  const stop = async () => {
    await Promise.all(components.map((c) => c.stop()));
    releasePorts(ports);
  };
  try {
    for (const [component, port] of [
      [components[0], sourceHealth],
      [components[1], kustomizeHealth],
    ] as const) {
      await waitFor(
        `${component?.name} ready`,
        async () => {
          if (component?.exit)
            throw new Hopeless(`${component.name} exited: ${await logTail(component.logPath)}`);
          const answer = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
          return answer?.ok ? true : undefined;
        },
        60_000,
        250,
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    logDir,
    async stop(options = {}) {
      await stop();
      if (options.keepLogs) console.error(`Flux logs: ${logDir}`);
      else await rm(logDir, { recursive: true, force: true });
    },
  };
}
