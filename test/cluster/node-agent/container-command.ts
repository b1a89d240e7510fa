// Turns a container spec into the process to run: argv (command + args, or an
// interpreter standing in for the image's entrypoint), environment and working
// directory, with container paths rewritten to their host stand-ins.
import type { CoreV1Api, V1Container, V1Pod } from "@kubernetes/client-node";
import { expandVars, resolveContainerEnv } from "./container-env.js";
import { isNotFound } from "./kube-helpers.js";
import { containerPathMappings, prepareSubPaths, rewritePaths, terminationMessageFile } from "./pod-paths.js";

export interface CommandContext {
  pod: V1Pod;
  container: V1Container;
  nodeName: string;
  podIP: string;
  hostIP: string;
  stateDir: string;
  workDir: string;
  interpreters: Record<string, string>;
  /** Device indices of the node's GPUs given to this container. */
  gpus: number[];
  api: CoreV1Api;
}

export interface ContainerEnv {
  env: Record<string, string>;
}

export interface ContainerCommand extends ContainerEnv {
  argv: string[];
  cwd: string;
}

/** The image's entrypoint: an exact image match first, then the image without tag or digest. */
export function interpreterFor(
  image: string | undefined,
  interpreters: Record<string, string>,
): string[] | undefined {
  if (!image) return undefined;
  const bare = image.replace(/@.*$/, "").replace(/:[^/:]*$/, "");
  const value = interpreters[image] ?? interpreters[bare];
  // Split on whitespace so that "node dist/cli.js" works; no shell is involved.
  return value?.split(/\s+/).filter(Boolean);
}

function decodeSecret(data: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]),
  );
}

export async function buildContainerCommand(ctx: CommandContext): Promise<ContainerCommand> {
  const { pod, container, api } = ctx;
  const namespace = pod.metadata?.namespace ?? "default";
  const mappings = containerPathMappings(ctx.stateDir, pod, container);
  await prepareSubPaths(ctx.stateDir, pod, container);
  const podEnv = await resolveContainerEnv({
    pod,
    container,
    nodeName: ctx.nodeName,
    podIP: ctx.podIP,
    hostIP: ctx.hostIP,
    mappings,
    readConfigMap: (name) =>
      api.readNamespacedConfigMap({ name, namespace }).then(
        (cm) => ({ ...cm.data, ...decodeSecret(cm.binaryData) }),
        (err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)),
      ),
    readSecret: (name) =>
      api.readNamespacedSecret({ name, namespace }).then(
        (s) => decodeSecret(s.data),
        (err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)),
      ),
  });

  const entrypoint = container.command?.length
    ? container.command
    : interpreterFor(container.image, ctx.interpreters);
  if (!entrypoint?.length) {
    throw new Error(
      `container has no command and no interpreter is configured for image ${container.image ?? "(none)"}`,
    );
  }
  const argv = [...entrypoint, ...(container.args ?? [])].map((a) =>
    rewritePaths(expandVars(a, podEnv), mappings),
  );

  const gpuEnv: Record<string, string> =
    ctx.gpus.length > 0
      ? { NVIDIA_VISIBLE_DEVICES: ctx.gpus.join(","), CUDA_VISIBLE_DEVICES: ctx.gpus.join(",") }
      : {};
  const env: Record<string, string> = {
    // The host's PATH so that `node`, `python3`… resolve; nothing else of the agent's environment leaks in.
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    HOME: process.env.HOME ?? ctx.workDir,
    HOSTNAME: pod.metadata?.name ?? "",
    NODE_AGENT_MOUNTS: JSON.stringify(Object.fromEntries(mappings.map((m) => [m.from, m.to]))),
    TERMINATION_MESSAGE_PATH: terminationMessageFile(ctx.stateDir, pod, container.name),
    ...gpuEnv,
    ...podEnv,
  };

  // A workingDir inside a mounted volume is honoured; any other image path does not exist here.
  const mappedDir = container.workingDir ? rewritePaths(container.workingDir, mappings) : undefined;
  const cwd = mappedDir && mappedDir !== container.workingDir ? mappedDir : ctx.workDir;
  return { argv, env, cwd };
}
