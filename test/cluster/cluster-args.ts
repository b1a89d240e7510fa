// Flags of `npm run cluster:up`: --kubeconfig PATH [--nodes N] [--gpus N].
import { resolve } from "node:path";
import { parseArgs } from "node:util";

export interface ClusterArgs {
  kubeconfigPath: string;
  nodes: number;
  gpus: number;
}

export function parseClusterArgs(argv: string[]): ClusterArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      kubeconfig: { type: "string" },
      nodes: { type: "string", default: "1" },
      gpus: { type: "string", default: "0" },
    },
  });
  if (!values.kubeconfig)
    throw new Error("usage: npm run cluster:up -- --kubeconfig PATH [--nodes N] [--gpus N]");
  const count = (name: string, text: string) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, not ${text}`);
    return n;
  };
  return {
    kubeconfigPath: resolve(values.kubeconfig),
    nodes: count("nodes", values.nodes),
    gpus: count("gpus", values.gpus),
  };
}

export function toArgv(args: ClusterArgs): string[] {
  return ["--kubeconfig", args.kubeconfigPath, "--nodes", `${args.nodes}`, "--gpus", `${args.gpus}`];
}
