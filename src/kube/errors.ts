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

/**
 * The API server judged the request itself unacceptable: 400 BadRequest, 422
 * Invalid (a field fails the schema or a CEL rule) and 413 RequestEntityTooLarge.
 * Reconciling again from the same object sends the same request and gets the
 * same answer, so the controller stops retrying until the object changes.
 *
 * Everything else is worth retrying with backoff, because it can clear without
 * the object changing: 401 (a rotated token), 403 (RBAC, a ResourceQuota or a
 * terminating namespace), 404 (a deleted object, whose watch event follows, or
 * a CRD not installed yet), 408, 409, 410, 429, 5xx, network failures, and
 * errors without an HTTP status (timeouts, bugs: the backoff caps their cost).
 */
export function isTerminal(err: unknown): boolean {
  const code = statusCodeOf(err);
  return code === 400 || code === 413 || code === 422;
}
