/** The API server's own answer to "may this requester create that here?": a LocalSubjectAccessReview. */
import { AuthorizationV1Api, type KubeConfig } from "@kubernetes/client-node";
import type { AccessReview } from "./access.js";

export function clusterAccessReview(kc: KubeConfig): AccessReview {
  const authorization = kc.makeApiClient(AuthorizationV1Api);
  return async (namespace, requester, kind) => {
    const review = await authorization.createNamespacedLocalSubjectAccessReview({
      namespace,
      body: {
        apiVersion: "authorization.k8s.io/v1",
        kind: "LocalSubjectAccessReview",
        metadata: { namespace },
        spec: {
          user: requester.username,
          groups: requester.groups,
          resourceAttributes: { namespace, verb: "create", group: kind.group, resource: kind.resource },
        },
      },
    });
    const reason = review.status?.reason;
    return { allowed: review.status?.allowed === true, ...(reason && { reason }) };
  };
}
