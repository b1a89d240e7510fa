// Millisecond timestamps of what the overhead is measured between, seen from
// a watch in the bench process: a Job appearing (its creationTimestamp has
// one-second resolution), a pod reaching Succeeded/Failed, a Trial reaching a
// finished phase. Only the first sighting counts, so a restarted watch (which
// replays ADDED for every object) changes nothing.
import { type KubeConfig, Watch } from "@kubernetes/client-node";
import type { Json } from "../../test/support/tuningjob-api.js";

const FINISHED_TRIAL = new Set(["Succeeded", "Failed", "EarlyStopped", "MetricsUnavailable"]);

export class Timeline {
  /** Job name → when the bench first saw it. */
  readonly jobAdded = new Map<string, number>();
  /** Job name → when it was first seen with condition Complete or Failed (set by the Job controller). */
  readonly jobFinished = new Map<string, number>();
  /** Job name (the pod's `job-name` label) → when its pod was first seen finished. */
  readonly podFinished = new Map<string, number>();
  /** Trial name → when it was first seen in a finished phase. */
  readonly trialFinished = new Map<string, number>();
  private readonly aborts: AbortController[] = [];
  private stopped = false;
  private readonly listeners = new Set<
    (event: "job" | "jobFinished" | "pod" | "trial", name: string) => void
  >();

  constructor(
    private readonly kc: KubeConfig,
    private readonly namespace: string,
  ) {}

  async start(): Promise<void> {
    const ns = this.namespace;
    await Promise.all([
      this.follow(`/apis/batch/v1/namespaces/${ns}/jobs`, (type, job) => {
        if (type === "ADDED") this.mark(this.jobAdded, job.metadata?.name, "job");
        const done = job.status?.conditions?.some(
          (c: Json) => (c.type === "Complete" || c.type === "Failed") && c.status === "True",
        );
        if (done) this.mark(this.jobFinished, job.metadata?.name, "jobFinished");
      }),
      this.follow(`/api/v1/namespaces/${ns}/pods`, (_type, pod) => {
        const phase = pod.status?.phase;
        if (phase === "Succeeded" || phase === "Failed")
          this.mark(this.podFinished, pod.metadata?.labels?.["batch.kubernetes.io/job-name"], "pod");
      }),
      this.follow(`/apis/hypertune.dev/v1alpha1/namespaces/${ns}/trials`, (_type, trial) => {
        if (FINISHED_TRIAL.has(trial.status?.phase))
          this.mark(this.trialFinished, trial.metadata?.name, "trial");
      }),
    ]);
  }

  onEvent(listener: (event: "job" | "jobFinished" | "pod" | "trial", name: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    this.stopped = true;
    for (const a of this.aborts) a.abort();
  }

  private mark(
    map: Map<string, number>,
    name: string | undefined,
    event: "job" | "jobFinished" | "pod" | "trial",
  ): void {
    if (!name || map.has(name)) return;
    map.set(name, Date.now());
    for (const l of this.listeners) l(event, name);
  }

  private async follow(path: string, onEvent: (type: string, object: Json) => void): Promise<void> {
    const watch = new Watch(this.kc);
    const abort = await watch.watch(path, {}, onEvent, () => {
      // The API server ends watches after a while; start again unless stopped.
      if (!this.stopped) setTimeout(() => void this.follow(path, onEvent), 100);
    });
    this.aborts.push(abort);
  }
}

/**
 * Pairs the k-th finish with the (parallelism + k)-th Job: with every slot
 * taken, a new Job can only follow a finished one, so this delay is the time
 * from a slot freeing to it being filled. Earliest first, on both sides.
 */
export function slotRefillDelays(finished: number[], created: number[], parallelism: number): number[] {
  const done = [...finished].sort((a, b) => a - b);
  const jobs = [...created].sort((a, b) => a - b);
  const delays: number[] = [];
  for (let k = 0; k < done.length && parallelism + k < jobs.length; k++)
    delays.push((jobs[parallelism + k] as number) - (done[k] as number));
  return delays;
}
