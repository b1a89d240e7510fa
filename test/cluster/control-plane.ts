// A real Kubernetes control plane on loopback: etcd, kube-apiserver,
// kube-controller-manager and kube-scheduler as child processes, built by
// build.sh. Nodes come from the node agent (see cluster.ts).
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { defaultBinDir, requireBinaries } from "./binaries.js";
import { writeKubeconfig } from "./kubeconfig.js";
import { createPki, type Pki, serviceClusterIpRange } from "./pki.js";
import { allocatePorts, releasePorts } from "./ports.js";
import { isHealthy } from "./probe.js";
import { type Component, ComponentExitedError, removeOnExit, startComponent, waitUntil } from "./process.js";

export interface ControlPlaneOptions {
  /** Where to write the admin kubeconfig (system:masters); defaults to a file in the temp dir. */
  kubeconfigPath?: string;
  /** Defaults to build.sh's output directory for the pinned version. */
  binDir?: string;
  /**
   * Where kube-apiserver, -controller-manager and -scheduler come from, when
   * another Kubernetes release than the pinned one is wanted (build.sh
   * --also); etcd always comes from binDir. Defaults to binDir.
   */
  kubeBinDir?: string;
  /** One log file per component; kept after stop(). Defaults to a new temp dir. */
  logDir?: string;
  /** Picks `count` free loopback ports; tests replace it to force a port clash. */
  allocatePorts?: (count: number) => Promise<number[]>;
  /** How many times to start over with new ports when one turns out taken. */
  portAttempts?: number;
  timeoutMs?: number;
  /**
   * Lifts the controller manager's and scheduler's client rate limits (20 and
   * 50 requests a second by default) as kwokctl's DisableQPSLimits does: at
   * KWOK scale the Job controller, not the operator, would set the pace.
   */
  unlimitedClientQps?: boolean;
  /**
   * Where kube-apiserver listens and what it advertises (default 127.0.0.1).
   * A real node's pods reach the API server through the `kubernetes` Service,
   * whose endpoint is this address: it must be one they can route to, such as
   * the real node's bridge.
   */
  apiServerAddress?: string;
}

export interface RunningProcess {
  name: string;
  pid: number;
  command: string;
}

export interface ControlPlane {
  kubeconfigPath: string;
  apiServerUrl: string;
  logDir: string;
  binDir: string;
  /** The processes started, for callers that must stop them from elsewhere. */
  processes: RunningProcess[];
  /** How many times startup began again because a port was taken. */
  portRetries: number;
  /** The CA and certificates, for a real node's kubelet and kube-proxy; removed by stop(). */
  pki: Pki;
  stop(): Promise<void>;
}

const ETCD_CLIENT = 0;
const ETCD_PEER = 1;
const API_SERVER = 2;
const CONTROLLER_MANAGER = 3;
const SCHEDULER = 4;
const PORT_COUNT = 5;

export async function startControlPlane(opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const binDir = resolve(opts.binDir ?? defaultBinDir());
  // Before anything else, so a fresh checkout gets the build.sh hint at once.
  const kubeBinDir = resolve(opts.kubeBinDir ?? binDir);
  const kubeNames = ["kube-apiserver", "kube-controller-manager", "kube-scheduler"] as const;
  // One message naming every missing binary when both sets share a directory.
  const bins =
    kubeBinDir === binDir
      ? requireBinaries(binDir, ["etcd", ...kubeNames])
      : { ...requireBinaries(binDir, ["etcd"]), ...requireBinaries(kubeBinDir, kubeNames) };
  const workDir = await mkdtemp(join(tmpdir(), "hypertune-cp-"));
  const exitCleanup = removeOnExit(workDir);
  const removeWorkDir = async () => {
    await rm(workDir, { recursive: true, force: true });
    exitCleanup.forget();
  };
  const logDir = resolve(opts.logDir ?? (await mkdtemp(join(tmpdir(), "hypertune-cp-logs-"))));
  await mkdir(logDir, { recursive: true });
  const kubeconfigPath = resolve(opts.kubeconfigPath ?? join(workDir, "admin.kubeconfig"));
  const attempts = opts.portAttempts ?? 3;
  const pick = opts.allocatePorts ?? ((count: number) => allocatePorts(count));

  let pki: Pki;
  try {
    const address = opts.apiServerAddress;
    pki = await createPki(await mkdirp(join(workDir, "pki")), address ? [address] : []);
  } catch (error) {
    await removeWorkDir();
    throw error;
  }

  for (let attempt = 1; ; attempt++) {
    const ports = await pick(PORT_COUNT);
    const started: Component[] = [];
    const stopAll = async () => {
      for (const c of [...started].reverse()) await c.stop();
      releasePorts(ports);
    };
    try {
      await startAll({ bins, pki, ports, workDir, logDir, kubeconfigPath, attempt, started, opts });
      return {
        kubeconfigPath,
        apiServerUrl: `https://${opts.apiServerAddress ?? "127.0.0.1"}:${ports[API_SERVER]}`,
        pki,
        logDir,
        binDir,
        processes: started.map(({ name, pid, command }) => ({ name, pid, command })),
        portRetries: attempt - 1,
        async stop() {
          await stopAll();
          await removeWorkDir();
        },
      };
    } catch (error) {
      await stopAll();
      const portClash = error instanceof ComponentExitedError && /address already in use/i.test(error.tail);
      if (portClash && attempt < attempts) continue;
      await removeWorkDir();
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`control plane failed to start: ${message}\ncontrol plane logs: ${logDir}`, {
        cause: error,
      });
    }
  }
}

async function mkdirp(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  return dir;
}

interface StartContext {
  bins: Record<"etcd" | "kube-apiserver" | "kube-controller-manager" | "kube-scheduler", string>;
  pki: Pki;
  ports: number[];
  workDir: string;
  logDir: string;
  kubeconfigPath: string;
  attempt: number;
  started: Component[];
  opts: ControlPlaneOptions;
}

async function startAll(ctx: StartContext): Promise<void> {
  const { bins, pki, ports, workDir, logDir, started } = ctx;
  const timeoutMs = ctx.opts.timeoutMs ?? 180_000;
  const port = (i: number) => ports[i] as number;
  // A retry keeps the failed attempt's logs next to the new ones.
  const logName = (name: string) => (ctx.attempt === 1 ? name : `${name}.attempt${ctx.attempt}`);
  const start = (name: string, bin: string, args: string[]) => {
    const c = startComponent(logName(name), bin, args, { logDir });
    started.push(c);
    return c;
  };

  const etcdUrl = `http://127.0.0.1:${port(ETCD_CLIENT)}`;
  const peerUrl = `http://127.0.0.1:${port(ETCD_PEER)}`;
  const etcd = start("etcd", bins.etcd, [
    "--name=hypertune-test",
    `--data-dir=${await mkdirp(join(workDir, `etcd-${ctx.attempt}`))}`,
    `--listen-client-urls=${etcdUrl}`,
    `--advertise-client-urls=${etcdUrl}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=hypertune-test=${peerUrl}`,
    // Throwaway data: durability only costs time.
    "--unsafe-no-fsync",
    "--log-level=warn",
  ]);
  await waitUntil("etcd /health", () => isHealthy(`${etcdUrl}/health`), { timeoutMs, watch: [etcd] });

  const address = ctx.opts.apiServerAddress ?? "127.0.0.1";
  const apiServerUrl = `https://${address}:${port(API_SERVER)}`;
  const apiServer = start("kube-apiserver", bins["kube-apiserver"], [
    `--etcd-servers=${etcdUrl}`,
    `--bind-address=${address}`,
    `--advertise-address=${address}`,
    // The lease reconciler refuses a loopback address; then no pod reaches the
    // API server through the `kubernetes` Service (the node agent's need none).
    ...(address === "127.0.0.1" ? ["--endpoint-reconciler-type=none"] : []),
    `--secure-port=${port(API_SERVER)}`,
    `--cert-dir=${await mkdirp(join(workDir, "apiserver-certs"))}`,
    `--tls-cert-file=${pki.apiServer.cert}`,
    `--tls-private-key-file=${pki.apiServer.key}`,
    `--client-ca-file=${pki.ca.cert}`,
    "--authorization-mode=Node,RBAC",
    "--enable-admission-plugins=NodeRestriction,PodSecurity",
    `--service-cluster-ip-range=${serviceClusterIpRange}`,
    "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
    `--service-account-key-file=${pki.serviceAccountPub}`,
    `--service-account-signing-key-file=${pki.serviceAccountKey}`,
    // pods/log and exec reach the node agents' kubelet endpoints over HTTPS
    // with this identity. Their serving certs are self-signed, so there is no
    // --kubelet-certificate-authority.
    `--kubelet-client-certificate=${pki.kubeletClient.cert}`,
    `--kubelet-client-key=${pki.kubeletClient.key}`,
    "--kubelet-preferred-address-types=InternalIP,Hostname",
    // Front-proxy (aggregation) settings as kubeadm sets them; without them the
    // controller manager and scheduler log a missing requestheader CA forever.
    `--requestheader-client-ca-file=${pki.ca.cert}`,
    "--requestheader-allowed-names=front-proxy-client",
    "--requestheader-username-headers=X-Remote-User",
    "--requestheader-group-headers=X-Remote-Group",
    "--requestheader-extra-headers-prefix=X-Remote-Extra-",
    `--proxy-client-cert-file=${pki.frontProxyClient.cert}`,
    `--proxy-client-key-file=${pki.frontProxyClient.key}`,
    "--profiling=false",
    "--v=1",
  ]);
  const adminTls = { caCert: pki.ca.cert, client: pki.admin };
  await waitUntil("kube-apiserver /readyz", () => isHealthy(`${apiServerUrl}/readyz`, adminTls), {
    timeoutMs,
    watch: [etcd, apiServer],
  });

  const caCert = pki.ca.cert;
  await writeKubeconfig(ctx.kubeconfigPath, {
    server: apiServerUrl,
    caCert,
    client: pki.admin,
    user: "admin",
  });
  const cmConfig = join(workDir, "controller-manager.kubeconfig");
  const schedulerConfig = join(workDir, "scheduler.kubeconfig");
  await writeKubeconfig(cmConfig, {
    server: apiServerUrl,
    caCert,
    client: pki.controllerManager,
    user: "system:kube-controller-manager",
  });
  await writeKubeconfig(schedulerConfig, {
    server: apiServerUrl,
    caCert,
    client: pki.scheduler,
    user: "system:kube-scheduler",
  });

  const delegated = (kubeconfig: string) => [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    "--bind-address=127.0.0.1",
    // One instance: no need to wait for a lease.
    "--leader-elect=false",
    "--v=1",
    ...(ctx.opts.unlimitedClientQps ? ["--kube-api-qps=5000", "--kube-api-burst=10000"] : []),
  ];
  const controllerManager = start("kube-controller-manager", bins["kube-controller-manager"], [
    ...delegated(cmConfig),
    `--secure-port=${port(CONTROLLER_MANAGER)}`,
    `--service-account-private-key-file=${pki.serviceAccountKey}`,
    `--root-ca-file=${pki.ca.cert}`,
    // Each controller acts as its own service account, as in a real cluster,
    // so RBAC gaps show up here rather than in production.
    "--use-service-account-credentials=true",
    `--cluster-signing-cert-file=${pki.ca.cert}`,
    `--cluster-signing-key-file=${pki.ca.key}`,
    `--service-cluster-ip-range=${serviceClusterIpRange}`,
  ]);
  const scheduler = start("kube-scheduler", bins["kube-scheduler"], [
    ...delegated(schedulerConfig),
    `--secure-port=${port(SCHEDULER)}`,
  ]);
  const all = [etcd, apiServer, controllerManager, scheduler];
  await Promise.all([
    waitUntil(
      "kube-controller-manager /healthz",
      () => isHealthy(`https://127.0.0.1:${port(CONTROLLER_MANAGER)}/healthz`),
      {
        timeoutMs,
        watch: all,
      },
    ),
    waitUntil("kube-scheduler /healthz", () => isHealthy(`https://127.0.0.1:${port(SCHEDULER)}/healthz`), {
      timeoutMs,
      watch: all,
    }),
  ]);

  // The service-account controller creating `default` shows the controllers
  // run and their RBAC works; pods cannot be created before it exists.
  const kc = new KubeConfig();
  kc.loadFromFile(ctx.kubeconfigPath);
  const core = kc.makeApiClient(CoreV1Api);
  await waitUntil(
    "the default ServiceAccount",
    async () => {
      await core.readNamespacedServiceAccount({ name: "default", namespace: "default" });
      return true;
    },
    { timeoutMs, watch: all, intervalMs: 500 },
  );
}
