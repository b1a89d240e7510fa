import type { KubeConfig } from "@kubernetes/client-node";

/** The namespace of the context in use (kubectl's default for -n), else "default". */
export function contextNamespace(kc: KubeConfig): string {
  return kc.getContextObject(kc.getCurrentContext())?.namespace || "default";
}
