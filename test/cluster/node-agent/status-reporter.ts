// Writes a pod's status through the pods/status subresource, one request at a
// time: changes that arrive while a write is in flight are folded into the next
// write, transient failures are retried, and a pod that is gone (or replaced
// by a namesake, which the uid in the patch detects) is left alone.
import type { CoreV1Api, V1PodStatus } from "@kubernetes/client-node";
import { sleep } from "../../support/wait.js";
import { describeError, httpStatus, strategicMerge } from "./kube-helpers.js";

export class StatusReporter {
  private dirty = false;
  private inflight: Promise<void> | undefined;
  private gone = false;
  private closed = false;

  constructor(
    private readonly api: CoreV1Api,
    private readonly namespace: string,
    private readonly name: string,
    private readonly uid: string,
    private readonly build: () => V1PodStatus,
    private readonly log: (line: string) => void,
  ) {}

  /** Asks for the current status to be written soon. */
  request(): void {
    this.dirty = true;
    if (!this.inflight && !this.gone) this.inflight = this.loop().finally(() => (this.inflight = undefined));
  }

  /** Resolves once everything requested so far is written (or given up on). */
  async flush(): Promise<void> {
    this.request();
    while (this.inflight) await this.inflight;
  }

  /** Stops retrying; used when the agent shuts down. */
  close(): void {
    this.closed = true;
  }

  private async loop(): Promise<void> {
    for (let attempt = 0; this.dirty && !this.gone; ) {
      this.dirty = false;
      try {
        // A strategic merge patch merges conditions by type, keeping the scheduler's PodScheduled.
        await this.api.patchNamespacedPodStatus(
          {
            name: this.name,
            namespace: this.namespace,
            body: { metadata: { uid: this.uid }, status: this.build() },
          },
          strategicMerge,
        );
        attempt = 0;
      } catch (err) {
        const status = httpStatus(err);
        if (status === 404 || status === 409) {
          this.gone = true;
          return;
        }
        if (status !== undefined && status >= 400 && status < 500 && status !== 429) {
          this.log(`status of ${this.namespace}/${this.name} rejected: ${describeError(err)}`);
          continue;
        }
        if (this.closed) return;
        this.dirty = true;
        await sleep(Math.min(200 * 2 ** attempt++, 5000));
      }
    }
  }
}
