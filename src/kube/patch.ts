// Writes to custom resources (any API group except the core "" group, which
// CustomObjectsApi cannot address): JSON merge patches of the main resource and
// of its /status subresource, and a create that tolerates AlreadyExists.
//
// client-node 1.x picks the first content type a patch endpoint lists, which is
// application/json-patch+json; a merge-patch body sent as that is rejected, so
// every patch here sets the Content-Type explicitly.
import {
  CustomObjectsApi,
  type KubeConfig,
  type KubernetesObject,
  PatchStrategy,
  setHeaderOptions,
} from "@kubernetes/client-node";
import { isAlreadyExists } from "./errors.js";

export interface ResourceRef {
  group: string;
  version: string;
  plural: string;
  /** Omitted for cluster-scoped resources. */
  namespace?: string;
  name: string;
}

const mergePatchOptions = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
const clients = new WeakMap<KubeConfig, CustomObjectsApi>();

function customObjects(kc: KubeConfig, group: string): CustomObjectsApi {
  if (group === "") throw new Error("the core API group has no custom-object endpoints; use CoreV1Api");
  const api = clients.get(kc) ?? kc.makeApiClient(CustomObjectsApi);
  clients.set(kc, api);
  return api;
}

/** JSON merge patch (RFC 7386) of the main resource; `status` in it is ignored when /status is a subresource. */
export async function mergePatch<T extends KubernetesObject = KubernetesObject>(
  kc: KubeConfig,
  ref: ResourceRef,
  patch: object,
): Promise<T> {
  const api = customObjects(kc, ref.group);
  const { namespace, ...rest } = ref;
  const result = namespace
    ? await api.patchNamespacedCustomObject({ ...rest, namespace, body: patch }, mergePatchOptions)
    : await api.patchClusterCustomObject({ ...rest, body: patch }, mergePatchOptions);
  return result as T;
}

/** JSON merge patch of the /status subresource with `{status}`; spec and metadata are untouched. */
export async function mergePatchStatus<T extends KubernetesObject = KubernetesObject>(
  kc: KubeConfig,
  ref: ResourceRef,
  status: object,
  /** Only if the object is still at this version: a stale writer gets 409 Conflict. */
  resourceVersion?: string,
): Promise<T> {
  const api = customObjects(kc, ref.group);
  const { namespace, ...rest } = ref;
  const body = resourceVersion === undefined ? { status } : { metadata: { resourceVersion }, status };
  const result = namespace
    ? await api.patchNamespacedCustomObjectStatus({ ...rest, namespace, body }, mergePatchOptions)
    : await api.patchClusterCustomObjectStatus({ ...rest, body }, mergePatchOptions);
  return result as T;
}

/**
 * Creates `body`; an object of that name existing already is not an error
 * (children have deterministic names, so it is ours from an earlier reconcile).
 */
export async function createIgnoringExists<T extends KubernetesObject = KubernetesObject>(
  kc: KubeConfig,
  ref: Omit<ResourceRef, "name">,
  body: T,
): Promise<{ created: true; object: T } | { created: false }> {
  const api = customObjects(kc, ref.group);
  const { namespace, ...rest } = ref;
  try {
    const object = namespace
      ? await api.createNamespacedCustomObject({ ...rest, namespace, body })
      : await api.createClusterCustomObject({ ...rest, body });
    return { created: true, object: object as T };
  } catch (error) {
    if (isAlreadyExists(error)) return { created: false };
    throw error;
  }
}
