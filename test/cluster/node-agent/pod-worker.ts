// The life of one pod on a node, as the kubelet lives it: ordinary init
// containers one by one to completion, native sidecars (init containers with
// restartPolicy Always) started before and stopped after the main containers,
// restarts per restartPolicy, activeDeadlineSeconds, graceful deletion, and
// every step reported through the pod's status.
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CoreV1Api, V1Container, V1Pod } from "@kubernetes/client-node";
import { sleep } from "../../support/wait.js";
import { buildContainerCommand, type ContainerCommand } from "./container-command.js";
import { ContainerConfigError } from "./container-env.js";
import { type ContainerProcess, startContainerProcess } from "./container-process.js";
import { containerGpus, type GpuAllocator, podGpus } from "./gpu-allocator.js";
import { describeError, kubeTime } from "./kube-helpers.js";
import { ContainerLogWriter, logTail } from "./log-file.js";
import type { LogLookup } from "./log-server.js";
import { confirmPodDeletion } from "./pod-deletion.js";
import { podDir, preparePodDirs, terminationMessageFile } from "./pod-paths.js";
import {
  buildPodStatus,
  type ContainerRole,
  type ContainerState,
  type PodPhase,
  type TerminatedState,
} from "./pod-status.js";
import { StatusReporter } from "./status-reporter.js";

export interface WorkerDeps {
  api: CoreV1Api;
  nodeName: string;
  /** Pod folders (volumes, termination messages) go under here. */
  stateDir: string;
  logDir: string;
  /** Working directory of processes whose workingDir is not a mounted volume. */
  workDir: string;
  interpreters: Record<string, string>;
  gpus: GpuAllocator;
  log: (line: string) => void;
}

const POD_IP = "127.0.0.1";
const MAX_TERMINATION_MESSAGE = 4096;
const DEADLINE_MESSAGE = "Pod was active on the node longer than the specified deadline";

type StopReason = "Deleted" | "DeadlineExceeded" | "AgentStopped" | "Removed";

class Container {
  restartCount = 0;
  state: ContainerState;
  lastTerminated?: TerminatedState;
  process?: ContainerProcess;
  log?: ContainerLogWriter;
  /** The loop that starts, waits for and restarts this container. */
  loop?: Promise<void>;
  /** Set by a back-off: the next start is a restart. */
  restarting = false;

  constructor(
    readonly spec: V1Container,
    readonly role: ContainerRole,
  ) {
    this.state = { kind: "waiting", reason: "PodInitializing" };
  }
}

export class PodWorker {
  private pod: V1Pod;
  readonly uid: string;
  private readonly containers: Container[];
  private phase: PodPhase = "Pending";
  private reason?: string;
  private message?: string;
  private startTime?: string;
  private sandboxReady = false;
  private initialized = false;
  /** The main containers are done: sidecars are being stopped and must not restart. */
  private sidecarsStopping = false;
  private sidecarDeadline = Number.POSITIVE_INFINITY;
  private stopping?: { reason: StopReason; deadline: number };
  private wake: Array<() => void> = [];
  private deadlineTimer?: NodeJS.Timeout;
  private deletionConfirmed = false;
  private readonly conditionTimes = new Map<string, { status: string; time: string }>();
  private readonly reporter: StatusReporter;
  private gpuIndices: number[] = [];
  /** Resolves when the pod has reached a terminal phase and that has been reported. */
  readonly done: Promise<void>;
  private finished = false;

  constructor(
    pod: V1Pod,
    private readonly deps: WorkerDeps,
  ) {
    this.pod = pod;
    this.uid = pod.metadata?.uid ?? "";
    this.containers = [
      ...(pod.spec?.initContainers ?? []).map(
        (c) => new Container(c, c.restartPolicy === "Always" ? "sidecar" : "init"),
      ),
      ...(pod.spec?.containers ?? []).map((c) => new Container(c, "main")),
    ];
    this.reporter = new StatusReporter(
      deps.api,
      this.namespace,
      this.name,
      this.uid,
      () =>
        buildPodStatus(
          {
            phase: this.phase,
            ...(this.reason ? { reason: this.reason } : {}),
            ...(this.message ? { message: this.message } : {}),
            ...(this.startTime ? { startTime: this.startTime } : {}),
            ip: POD_IP,
            sandboxReady: this.sandboxReady,
            initialized: this.initialized,
            containers: this.containers.map((c) => ({
              name: c.spec.name,
              image: c.spec.image ?? "",
              role: c.role,
              restartCount: c.restartCount,
              state: c.state,
              ...(c.lastTerminated ? { lastTerminated: c.lastTerminated } : {}),
            })),
          },
          this.conditionTimes,
          kubeTime(),
        ),
      deps.log,
    );
    this.done = this.run().catch(async (err: unknown) => {
      // A bug or a broken disk: say so on the pod rather than leave it Running forever.
      deps.log(`pod ${this.key}: ${describeError(err)}`);
      for (const c of this.containers) c.process?.signal("SIGKILL");
      await this.finish("Failed", "NodeAgentError", describeError(err)).catch(() => undefined);
    });
  }

  get name(): string {
    return this.pod.metadata?.name ?? "";
  }
  get namespace(): string {
    return this.pod.metadata?.namespace ?? "";
  }
  get key(): string {
    return `${this.namespace}/${this.name}`;
  }
  get isFinished(): boolean {
    return this.finished;
  }

  /** A newer version of the pod from the watch; only deletion matters once running. */
  update(pod: V1Pod): void {
    this.pod = pod;
    if (pod.metadata?.deletionTimestamp) {
      const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
      this.requestStop("Deleted", grace);
      if (this.finished) void this.confirmDeletion();
    }
  }

  /** The pod object is gone from the API (or the agent stops): kill what is left. */
  requestStop(reason: StopReason, graceSeconds: number): void {
    const deadline = Date.now() + Math.max(0, graceSeconds) * 1000;
    if (this.stopping && this.stopping.deadline <= deadline) return;
    this.stopping = { reason: this.stopping?.reason ?? reason, deadline };
    for (const wake of this.wake.splice(0)) wake();
    // Main and ordinary init containers first; run() stops the sidecars once these are down.
    for (const c of this.containers) if (c.role !== "sidecar") void this.terminate(c);
  }

  /** Removes the pod's folders once it is gone; its logs stay under logDir. */
  async cleanup(): Promise<void> {
    this.reporter.close();
    await rm(podDir(this.deps.stateDir, this.pod), { recursive: true, force: true });
  }

  logLookup(container: string, previous: boolean): LogLookup {
    const c = this.containers.find((x) => x.spec.name === container);
    if (!c)
      return { ok: false, status: 400, message: `container ${container} is not valid for pod ${this.name}` };
    if (previous) {
      if (c.restartCount === 0) {
        return {
          ok: false,
          status: 400,
          message: `previous terminated container "${container}" in pod "${this.name}" not found`,
        };
      }
      return { ok: true, path: this.logPath(c, c.restartCount - 1) };
    }
    if (!c.log) {
      const why = c.state.kind === "waiting" ? c.state.reason : "not started";
      return {
        ok: false,
        status: 400,
        message: `container "${container}" in pod "${this.name}" is waiting to start: ${why}`,
      };
    }
    return { ok: true, path: c.log.path, live: c.log };
  }

  private logPath(c: Container, instance: number): string {
    const pod = `${this.namespace}_${this.name}_${this.uid}`;
    return join(this.deps.logDir, pod, c.spec.name, `${instance}.log`);
  }

  private report(): void {
    this.reporter.request();
  }

  /** Sleeps, but wakes early when a stop is requested. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake.push(done);
    });
  }

  private async run(): Promise<void> {
    const spec = this.pod.spec ?? { containers: [] };
    this.startTime = kubeTime();
    const gpus = podGpus(this.pod);
    const indices = gpus > 0 ? this.deps.gpus.allocate(this.uid, gpus) : [];
    if (!indices) {
      return this.finish(
        "Failed",
        "UnexpectedAdmissionError",
        `Allocate failed: requested ${gpus} nvidia.com/gpu, too few free`,
      );
    }
    this.gpuIndices = indices;
    await preparePodDirs(this.deps.stateDir, this.pod);
    this.sandboxReady = true;
    for (const c of this.containers)
      if (c.role === "main") c.state = { kind: "waiting", reason: "PodInitializing" };
    if (!this.containers.some((c) => c.role !== "main")) {
      for (const c of this.containers) c.state = { kind: "waiting", reason: "ContainerCreating" };
    }
    this.report();
    this.armDeadline(spec.activeDeadlineSeconds);

    let initFailed = false;
    for (const c of this.containers.filter((x) => x.role !== "main")) {
      if (this.stopping) break;
      if (c.role === "sidecar") {
        // A sidecar counts as started once its process runs (no startup probes here).
        const started = await this.startOnce(c);
        // Awaited only when the pod winds down, so its failure must not go unhandled meanwhile.
        c.loop = this.superviseSidecar(c, started).catch((err: unknown) => {
          this.deps.log(`sidecar ${c.spec.name} of ${this.key}: ${describeError(err)}`);
        });
        continue;
      }
      c.loop = this.runToCompletion(c);
      await c.loop;
      if (c.state.kind !== "terminated" || c.state.exitCode !== 0) {
        initFailed = true;
        break;
      }
    }

    const mains = this.containers.filter((c) => c.role === "main");
    if (!this.stopping && !initFailed) {
      this.initialized = true;
      for (const c of mains) c.state = { kind: "waiting", reason: "ContainerCreating" };
      this.phase = "Running";
      this.report();
      for (const c of mains) c.loop = this.runToCompletion(c);
      await Promise.all(mains.map((c) => c.loop));
    }

    // The kubelet stops sidecars once the main containers are done, in reverse order.
    const grace = spec.terminationGracePeriodSeconds ?? 30;
    this.sidecarDeadline = Date.now() + grace * 1000;
    this.sidecarsStopping = true;
    for (const wake of this.wake.splice(0)) wake();
    for (const c of this.containers.filter((x) => x.role === "sidecar").reverse()) {
      await this.terminate(c, this.sidecarDeadline);
      await c.loop;
    }

    if (this.stopping?.reason === "DeadlineExceeded") {
      return this.finish("Failed", "DeadlineExceeded", DEADLINE_MESSAGE);
    }
    const succeeded =
      !initFailed && mains.every((c) => c.state.kind === "terminated" && c.state.exitCode === 0);
    return this.finish(succeeded ? "Succeeded" : "Failed");
  }

  private async finish(phase: PodPhase, reason?: string, message?: string): Promise<void> {
    clearTimeout(this.deadlineTimer);
    this.deps.gpus.release(this.uid);
    this.phase = phase;
    if (reason) this.reason = reason;
    if (message) this.message = message;
    await this.reporter.flush();
    this.finished = true;
    if (this.pod.metadata?.deletionTimestamp) await this.confirmDeletion();
  }

  private armDeadline(seconds: number | undefined): void {
    if (seconds === undefined || seconds === null) return;
    this.deadlineTimer = setTimeout(() => {
      this.requestStop("DeadlineExceeded", this.pod.spec?.terminationGracePeriodSeconds ?? 30);
    }, seconds * 1000);
  }

  /** Runs a main or ordinary init container until it is done for good, restarting it per restartPolicy. */
  private async runToCompletion(c: Container): Promise<void> {
    const policy = this.pod.spec?.restartPolicy ?? "Always";
    for (;;) {
      const started = await this.startOnce(c);
      // A start that failed (StartError) counts as a failed run; one cut short by a stop does not.
      const exit = started
        ? await this.waitForExit(c)
        : c.state.kind === "terminated"
          ? c.state.exitCode
          : undefined;
      if (exit === undefined || this.stopping) return;
      // Init containers are never restarted on success, whatever the policy.
      const again = exit !== 0 ? policy !== "Never" : policy === "Always" && c.role === "main";
      if (!again) return;
      await this.backOff(c);
      if (this.stopping) return;
    }
  }

  /** Restarts a sidecar whenever it exits until the pod winds down. */
  private async superviseSidecar(c: Container, started: boolean): Promise<void> {
    let running = started;
    for (;;) {
      if (running) await this.waitForExit(c);
      if (this.stopping || this.phaseWindingDown(c)) return;
      await this.backOff(c);
      if (this.stopping || this.phaseWindingDown(c)) return;
      running = await this.startOnce(c);
    }
  }

  private phaseWindingDown(c: Container): boolean {
    return c.role === "sidecar" && this.sidecarsStopping;
  }

  /** CrashLoopBackOff, shortened from the kubelet's 10 s doubling to 1 s doubling (capped at 30 s) to keep tests quick. */
  private async backOff(c: Container): Promise<void> {
    const delay = Math.min(1000 * 2 ** c.restartCount, 30_000);
    if (c.state.kind === "terminated") c.lastTerminated = c.state;
    c.restarting = true;
    c.state = {
      kind: "waiting",
      reason: "CrashLoopBackOff",
      message: `back-off ${delay / 1000}s restarting failed container`,
    };
    this.report();
    await this.pause(delay);
  }

  /** Starts one instance; false when it could not start (the state says why). */
  private async startOnce(c: Container): Promise<boolean> {
    if (c.restarting) {
      c.restarting = false;
      c.restartCount++;
    }
    let command: ContainerCommand | undefined;
    for (;;) {
      if (this.stopping || this.phaseWindingDown(c)) return false;
      try {
        command = await buildContainerCommand(this.commandContext(c));
        break;
      } catch (err) {
        if (!(err instanceof ContainerConfigError)) return this.startFailed(c, err);
        // As the kubelet: wait and retry; a ConfigMap or Secret may still appear.
        c.state = { kind: "waiting", reason: "CreateContainerConfigError", message: err.message };
        this.report();
        await this.pause(2000);
      }
    }
    let log: ContainerLogWriter;
    try {
      await writeFile(terminationMessageFile(this.deps.stateDir, this.pod, c.spec.name), "");
      log = new ContainerLogWriter(this.logPath(c, c.restartCount));
    } catch (err) {
      return this.startFailed(c, err);
    }
    c.log = log;
    try {
      c.process = await startContainerProcess({ ...command, log });
    } catch (err) {
      log.close();
      return this.startFailed(c, err);
    }
    c.state = { kind: "running", startedAt: kubeTime(), containerID: `process://${c.process.pid}` };
    this.report();
    // A stop that came while the process was being spawned found nothing to signal.
    if (this.phaseWindingDown(c)) void this.terminate(c, this.sidecarDeadline);
    else if (this.stopping && c.role !== "sidecar") void this.terminate(c);
    return true;
  }

  private startFailed(c: Container, err: unknown): false {
    c.state = {
      kind: "terminated",
      exitCode: 128,
      reason: "StartError",
      message: describeError(err),
      finishedAt: kubeTime(),
    };
    this.report();
    return false;
  }

  private commandContext(c: Container) {
    const gpuCount = containerGpus(c.spec);
    // Long-running containers take consecutive slices of the pod's devices; init containers reuse the first ones.
    let offset = 0;
    if (c.role !== "init") {
      for (const other of this.containers) {
        if (other === c) break;
        if (other.role !== "init") offset += containerGpus(other.spec);
      }
    }
    return {
      pod: this.pod,
      container: c.spec,
      nodeName: this.deps.nodeName,
      podIP: POD_IP,
      hostIP: POD_IP,
      stateDir: this.deps.stateDir,
      workDir: this.deps.workDir,
      interpreters: this.deps.interpreters,
      gpus: this.gpuIndices.slice(offset, offset + gpuCount),
      api: this.deps.api,
    };
  }

  /** Waits for the running instance to exit and records how it ended; returns the exit code. */
  private async waitForExit(c: Container): Promise<number> {
    const proc = c.process;
    if (!proc || c.state.kind !== "running") return c.state.kind === "terminated" ? c.state.exitCode : -1;
    const startedAt = c.state.startedAt;
    const containerID = c.state.containerID;
    const exit = await proc.exited;
    c.log?.close();
    c.state = {
      kind: "terminated",
      exitCode: exit.exitCode,
      ...(exit.signal ? { signal: exit.exitCode - 128 } : {}),
      reason: exit.exitCode === 0 ? "Completed" : "Error",
      startedAt,
      finishedAt: kubeTime(),
      containerID,
    };
    const message = await this.terminationMessage(c, exit.exitCode);
    if (message) c.state.message = message;
    this.report();
    return exit.exitCode;
  }

  private async terminationMessage(c: Container, exitCode: number): Promise<string | undefined> {
    const file = terminationMessageFile(this.deps.stateDir, this.pod, c.spec.name);
    const text = await readFile(file, "utf8").catch(() => "");
    if (text) return text.slice(0, MAX_TERMINATION_MESSAGE);
    if (c.spec.terminationMessagePolicy === "FallbackToLogsOnError" && exitCode !== 0 && c.log) {
      return logTail(c.log.path, 80, 2048) || undefined;
    }
    return undefined;
  }

  /** SIGTERM to the container's main process, SIGKILL to its whole group once the grace period is up. */
  private async terminate(c: Container, deadline?: number): Promise<void> {
    const proc = c.process;
    if (!proc?.running) return;
    proc.signal("SIGTERM");
    for (;;) {
      const limit = this.stopping
        ? Math.min(this.stopping.deadline, deadline ?? Number.POSITIVE_INFINITY)
        : deadline;
      const left = (limit ?? Number.POSITIVE_INFINITY) - Date.now();
      if (left <= 0) break;
      const exited = await Promise.race([
        proc.exited.then(() => true),
        sleep(Math.min(left, 200)).then(() => false),
      ]);
      if (exited) return;
    }
    proc.signal("SIGKILL");
    await proc.exited;
  }

  /** Removes the pod for good once its containers are gone; idempotent. */
  async confirmDeletion(): Promise<void> {
    if (this.deletionConfirmed) return;
    this.deletionConfirmed = true;
    if (!(await confirmPodDeletion(this.deps.api, this.pod, this.deps.log))) this.deletionConfirmed = false;
  }
}
