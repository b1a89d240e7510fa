/**
 * Acting only as far as the requester may: before the operator creates a
 * trial's workload on someone's behalf, the API server is asked (a
 * LocalSubjectAccessReview in the job's namespace) whether that someone may
 * create it themselves. Decisions are cached briefly, per namespace,
 * requester and kind, so a job of a thousand trials asks a handful of times;
 * a revoked permission is seen within the cache's lifetime.
 */
import { REQUESTED_BY, type Requester } from "./requester.js";

/** A kind of workload the operator creates for trials. */
export interface WorkloadKind {
  group: string;
  resource: string;
}

export const JOB_WORKLOAD: WorkloadKind = { group: "batch", resource: "jobs" };

/** The API server's answer for one requester, namespace and kind. */
export type AccessReview = (
  namespace: string,
  requester: Requester,
  kind: WorkloadKind,
) => Promise<{ allowed: boolean; reason?: string }>;

export type AccessDecision = { allowed: true } | { allowed: false; message: string };

export interface AccessGate {
  /** May `requester` (undefined: none recorded) create `kind` in `namespace`? */
  check(namespace: string, requester: Requester | undefined, kind: WorkloadKind): Promise<AccessDecision>;
  /**
   * The API server refused a create made as the requester (impersonating):
   * remembered as a denial, so no more trials start while it is fresh.
   */
  refused(namespace: string, requester: Requester, kind: WorkloadKind, reason: string): AccessDecision;
}

export const ACCESS_CACHE_MS = 10_000;

export function kindText(kind: WorkloadKind): string {
  return kind.group === "" ? kind.resource : `${kind.resource}.${kind.group}`;
}

export function createAccessGate(
  review: AccessReview,
  now: () => number,
  ttlMs = ACCESS_CACHE_MS,
): AccessGate {
  const cache = new Map<string, { at: number; decision: AccessDecision }>();
  const keyOf = (namespace: string, requester: Requester, kind: WorkloadKind) =>
    JSON.stringify([namespace, requester.username, requester.groups, kind.group, kind.resource]);
  const denial = (
    namespace: string,
    requester: Requester,
    kind: WorkloadKind,
    reason: string | undefined,
  ): AccessDecision => ({
    allowed: false,
    message:
      `${requester.username} may not create ${kindText(kind)} in namespace ${namespace}, ` +
      `so the operator does not create them on their behalf${reason ? ` (${reason})` : ""}`,
  });
  function remember(key: string, decision: AccessDecision): AccessDecision {
    cache.set(key, { at: now(), decision });
    // Bounded: entries older than the lifetime are of no use.
    if (cache.size > 1000) for (const [k, v] of cache) if (now() - v.at >= ttlMs) cache.delete(k);
    return decision;
  }
  return {
    async check(namespace, requester, kind) {
      if (!requester) {
        return {
          allowed: false,
          message:
            `no requester is recorded on this TuningJob (annotation ${REQUESTED_BY}, stamped by the chart's ` +
            "MutatingAdmissionPolicy), so the operator creates nothing for it",
        };
      }
      const key = keyOf(namespace, requester, kind);
      const cached = cache.get(key);
      if (cached && now() - cached.at < ttlMs) return cached.decision;
      const answer = await review(namespace, requester, kind);
      return remember(
        key,
        answer.allowed ? { allowed: true } : denial(namespace, requester, kind, answer.reason),
      );
    },
    refused(namespace, requester, kind, reason) {
      return remember(keyOf(namespace, requester, kind), denial(namespace, requester, kind, reason));
    },
  };
}
