// Watches the pods bound to one node (field selector spec.nodeName) and keeps
// one PodWorker per pod uid. The informer relists on 410 Gone by itself; on any
// other error it stops, so it is restarted here with backoff.
import { type CoreV1Api, type KubeConfig, ListWatch, type V1Pod, Watch } from "@kubernetes/client-node";
import { sleep } from "../../support/wait.js";
import { describeError } from "./kube-helpers.js";
import type { LogLookup } from "./log-server.js";
import { confirmPodDeletion } from "./pod-deletion.js";
import { PodWorker, type WorkerDeps } from "./pod-worker.js";

const isTerminal = (pod: V1Pod): boolean =>
  pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";

export class PodManager {
  private readonly workers = new Map<string, PodWorker>();
  private informer?: ListWatch<V1Pod>;
  private stopped = false;
  private restartTimer?: NodeJS.Timeout;
  private failures = 0;

  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly api: CoreV1Api,
    private readonly deps: WorkerDeps,
  ) {}

  async start(): Promise<void> {
    const fieldSelector = `spec.nodeName=${this.deps.nodeName}`;
    const informer = new ListWatch<V1Pod>(
      "/api/v1/pods",
      new Watch(this.kubeConfig),
      () => this.api.listPodForAllNamespaces({ fieldSelector }),
      false,
      undefined,
      fieldSelector,
    );
    informer.on("add", (pod) => this.sync(pod));
    informer.on("update", (pod) => this.sync(pod));
    informer.on("delete", (pod) => this.forget(pod));
    informer.on("connect", () => {
      this.failures = 0;
    });
    informer.on("error", (err: unknown) => {
      if (this.stopped) return;
      const delay = Math.min(500 * 2 ** this.failures++, 10_000) * (0.5 + Math.random() / 2);
      this.deps.log(
        `pod watch for ${this.deps.nodeName} failed (${describeError(err)}); retrying in ${Math.round(delay)} ms`,
      );
      this.restartTimer = setTimeout(() => void informer.start(), delay);
    });
    this.informer = informer;
    await informer.start();
  }

  /** Kills every pod's processes (short grace) and stops watching. */
  async stop(graceSeconds = 2): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    await this.informer?.stop();
    const workers = [...this.workers.values()];
    for (const w of workers) w.requestStop("AgentStopped", graceSeconds);
    // Processes are dead after the grace period; the final status writes get a little longer, not forever
    // (the API server may be gone already).
    await Promise.race([Promise.all(workers.map((w) => w.done)), sleep((graceSeconds + 5) * 1000)]);
    await Promise.all(workers.map((w) => w.cleanup()));
    this.workers.clear();
  }

  /** The newest pod of that name on this node; logs outlive a pod's run but not the pod. */
  logLookup = (namespace: string, pod: string, container: string, previous: boolean): LogLookup => {
    let found: PodWorker | undefined;
    for (const w of this.workers.values()) if (w.namespace === namespace && w.name === pod) found = w;
    if (!found)
      return {
        ok: false,
        status: 404,
        message: `pod ${namespace}/${pod} not found on node ${this.deps.nodeName}`,
      };
    return found.logLookup(container, previous);
  };

  private sync(pod: V1Pod): void {
    if (this.stopped || pod.spec?.nodeName !== this.deps.nodeName) return;
    const uid = pod.metadata?.uid ?? "";
    const worker = this.workers.get(uid);
    if (worker) {
      worker.update(pod);
      return;
    }
    // A pod that ended before this agent saw it (an agent restart) is not run again, only let go of.
    if (isTerminal(pod)) {
      if (pod.metadata?.deletionTimestamp) void confirmPodDeletion(this.api, pod, this.deps.log);
      return;
    }
    const created = new PodWorker(pod, this.deps);
    this.workers.set(uid, created);
    // The first sight of a pod may already carry its deletion.
    created.update(pod);
  }

  private forget(pod: V1Pod): void {
    const uid = pod.metadata?.uid ?? "";
    const worker = this.workers.get(uid);
    if (!worker) return;
    worker.requestStop("Removed", 0);
    void worker.done.then(async () => {
      await worker.cleanup();
      if (this.workers.get(uid) === worker) this.workers.delete(uid);
    });
  }
}
