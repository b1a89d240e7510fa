/**
 * The one place the CLI turns --kubeconfig and --context into a KubeConfig,
 * the way kubectl does: the file given, else $KUBECONFIG, ~/.kube/config or
 * the pod's service account; the context given, else the file's current one.
 */
import type { KubeConfig } from "@kubernetes/client-node";
import { CommandFailed } from "./command.js";
import { UsageError } from "./parseFlags.js";

export interface KubeConfigFlags {
  kubeconfig?: string | undefined;
  context?: string | undefined;
}

/** The flags as they read in every command's help, so they stay worded alike. */
export const KUBECONFIG_HELP = `  --kubeconfig PATH        kubeconfig to use instead of $KUBECONFIG or ~/.kube/config
  --context NAME           kubeconfig context to use instead of its current one`;

export async function loadKubeConfig(flags: KubeConfigFlags): Promise<KubeConfig> {
  // Loaded on demand: the Kubernetes client takes most of a second to load, and
  // commands without a cluster (`run`, `collect`) must not pay for it.
  const { KubeConfig } = await import("@kubernetes/client-node");
  const kc = new KubeConfig();
  try {
    if (flags.kubeconfig) kc.loadFromFile(flags.kubeconfig);
    else kc.loadFromDefault();
  } catch (err) {
    const which = flags.kubeconfig ?? process.env.KUBECONFIG ?? "~/.kube/config";
    throw new CommandFailed(
      `cannot read the kubeconfig ${which}: ${err instanceof Error ? err.message : err}`,
    );
  }
  if (flags.context !== undefined) {
    if (!kc.getContextObject(flags.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new UsageError(
        `no context "${flags.context}" in the kubeconfig (${known.length > 0 ? `it has ${known.join(", ")}` : "it has none"})`,
      );
    }
    kc.setCurrentContext(flags.context);
  }
  return kc;
}

export { contextNamespace } from "../kube/context-namespace.js";

/** -n/--namespace as `get` and `describe` read it: the flag, else the context's namespace. */
export const NAMESPACE_HELP = `  -n, --namespace NS       the namespace (default: the context's namespace, else "default")`;
