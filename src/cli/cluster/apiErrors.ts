/**
 * One sentence for each way a read from the cluster fails, naming what was
 * asked (verb, resource, namespace) so the fix is plain: a missing job, the
 * CRDs not installed, RBAC, credentials, or no API server at that address.
 */
import { apiStatusOf, statusCodeOf } from "../../kube/errors.js";

export interface ApiRead {
  verb: "get" | "list";
  /** As RBAC names it: "tuningjobs.hypertune.dev", "events". */
  resource: string;
  /** Undefined: across all namespaces. */
  namespace?: string;
  name?: string;
  /** "TuningJob": the kind a user asked for by name. */
  kind?: string;
}

export interface ApiServer {
  server: string;
  context: string;
}

export function explainReadError(err: unknown, read: ApiRead, api: ApiServer): string {
  const code = statusCodeOf(err);
  const where = read.namespace === undefined ? "in all namespaces" : `in namespace "${read.namespace}"`;
  const status = apiStatusOf(err);
  if (code === undefined) {
    const reason = err instanceof Error ? err.message.replace(/^.*reason: /s, "") : String(err);
    return `cannot reach the cluster at ${api.server} (context "${api.context}"): ${reason}`;
  }
  if (code === 404 && status?.reason === "NotFound" && read.name !== undefined)
    return `${read.kind ?? read.resource} "${read.name}" not found ${where}`;
  // A 404 without a Status object: the API server does not serve the resource at all.
  if (code === 404)
    return `the cluster has no ${read.resource} resource: install the CRDs first (hypertune crds | kubectl apply -f -)`;
  if (code === 403) {
    const user = /User "([^"]+)"/.exec(status?.message ?? "")?.[1];
    const who = user ? `User "${user}"` : "the kubeconfig's user";
    return `forbidden: ${who} may not ${read.verb} ${read.resource} ${where} (RBAC)`;
  }
  if (code === 401)
    return `unauthorized: the API server at ${api.server} did not accept the credentials of context "${api.context}"`;
  const detail = status?.message ?? (err instanceof Error ? err.message.split("\n")[0] : String(err));
  return `${read.verb} ${read.resource} ${where}: the API server answered ${code}: ${detail}`;
}
