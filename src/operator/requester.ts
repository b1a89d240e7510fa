/**
 * Who asked for a TuningJob: the identity the chart's MutatingAdmissionPolicy
 * stamps from the API request that created the job or changed its trial
 * template. The API server writes these annotations after the requester's
 * own request is authenticated, so a requester cannot forge them: any value
 * they send is overwritten with theirs.
 */
export const REQUESTED_BY = "hypertune.dev/requested-by";
export const REQUESTED_BY_GROUPS = "hypertune.dev/requested-by-groups";

export interface Requester {
  username: string;
  groups: string[];
}

export function requesterOf(metadata: Record<string, unknown> | undefined): Requester | undefined {
  const annotations = (metadata?.annotations ?? {}) as Record<string, unknown>;
  const username = annotations[REQUESTED_BY];
  if (typeof username !== "string" || username === "") return undefined;
  const joined = annotations[REQUESTED_BY_GROUPS];
  const groups = typeof joined === "string" ? joined.split(",").filter((g) => g !== "") : [];
  return { username, groups };
}
