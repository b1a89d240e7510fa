// Flags of `npm run cluster:up`: --kubeconfig PATH [--gpus N] [--node-agent [--nodes N]].
import { resolve } from "node:path";
import { parseArgs } from "node:util";

export interface ClusterArgs {
  kubeconfigPath: string;
  /** A real node (kubelet, containerd) by default; the node agent's stand-in nodes when set. */
  nodeAgent: boolean;
  /** Node-agent nodes; a real-node cluster has one node. */
  nodes: number;
  gpus: number;
}

const usage = "usage: npm run cluster:up -- --kubeconfig PATH [--gpus N] [--node-agent [--nodes N]]";

export function parseClusterArgs(argv: string[]): ClusterArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      kubeconfig: { type: "string" },
      "node-agent": { type: "boolean", default: false },
      nodes: { type: "string" },
      gpus: { type: "string", default: "0" },
    },
  });
  if (!values.kubeconfig) throw new Error(usage);
  const count = (name: string, text: string) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, not ${text}`);
    return n;
  };
  const nodeAgent = values["node-agent"] ?? false;
  if (values.nodes !== undefined && !nodeAgent) {
    throw new Error(`--nodes needs --node-agent: a real-node cluster has one node\n${usage}`);
  }
  return {
    kubeconfigPath: resolve(values.kubeconfig),
    nodeAgent,
    nodes: count("nodes", values.nodes ?? "1"),
    gpus: count("gpus", values.gpus ?? "0"),
  };
}

export function toArgv(args: ClusterArgs): string[] {
  return [
    "--kubeconfig",
    args.kubeconfigPath,
    "--gpus",
    `${args.gpus}`,
    ...(args.nodeAgent ? ["--node-agent", "--nodes", `${args.nodes}`] : []),
  ];
}
