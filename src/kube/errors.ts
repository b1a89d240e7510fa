// Classifies the errors that @kubernetes/client-node 1.x throws, so callers
// decide on "not found", "conflict" or "retry" without string matching.
//
// Shapes seen in 1.4:
// - ApiException from the typed APIs and KubernetesObjectApi: `code` is the HTTP
//   status and `body` the response text (a JSON-encoded metav1.Status).
// - Watch: an Error with `statusCode` when the watch request is not answered 200.
// - A watch ERROR event carries a metav1.Status object with `code` and `reason`.
// - Network failures from node-fetch: `code` is a string such as "ECONNREFUSED".

interface ApiStatus {
  code?: number;
  reason?: string;
  message?: string;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** The metav1.Status in an error's body, when the server sent one. */
export function apiStatusOf(err: unknown): ApiStatus | undefined {
  const record = asRecord(err);
  if (!record) return undefined;
  let body: unknown = record.body;
  if (typeof body === "string") {
    try {
      body = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const status = asRecord(body);
  if (status?.kind === "Status") return status as ApiStatus;
  // A watch ERROR event's object is the Status itself.
  if (record.kind === "Status") return record as ApiStatus;
  return undefined;
}

/** The HTTP status code behind an error, or undefined for network and other errors. */
export function statusCodeOf(err: unknown): number | undefined {
  const record = asRecord(err);
  if (!record) return undefined;
  for (const value of [record.code, record.statusCode, apiStatusOf(err)?.code]) {
    if (typeof value === "number" && Number.isInteger(value) && value >= 100 && value < 600) return value;
  }
  return undefined;
}

/** The machine-readable reason of a Status (`AlreadyExists`, `Conflict`, `Expired`…). */
export function reasonOf(err: unknown): string | undefined {
  return apiStatusOf(err)?.reason;
}

export const isNotFound = (err: unknown): boolean => statusCodeOf(err) === 404;

/** 409 because of a stale resourceVersion (not because the object already exists). */
export const isConflict = (err: unknown): boolean =>
  statusCodeOf(err) === 409 && reasonOf(err) !== "AlreadyExists";

/** 409 AlreadyExists from a create. */
export const isAlreadyExists = (err: unknown): boolean =>
  statusCodeOf(err) === 409 && reasonOf(err) === "AlreadyExists";

/** 410 Gone: the resourceVersion a watch or list asked for was compacted away. */
export const isGone = (err: unknown): boolean =>
  statusCodeOf(err) === 410 || reasonOf(err) === "Expired" || reasonOf(err) === "Gone";

const retryableNetworkCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
  "ABORT_ERR",
]);

/**
 * Worth retrying unchanged: conflicts, throttling, server-side failures and
 * network errors. Validation errors (400, 422), 401/403 and 404 are not.
 */
export function isRetryable(err: unknown): boolean {
  const code = statusCodeOf(err);
  if (code !== undefined) return code === 409 || code === 410 || code === 429 || code >= 500;
  const record = asRecord(err);
  if (!record) return false;
  if (typeof record.code === "string" && retryableNetworkCodes.has(record.code)) return true;
  // node-fetch wraps socket failures as FetchError of type "system"; aborts are "aborted".
  return record.type === "system" || record.type === "aborted" || record.name === "AbortError";
}
