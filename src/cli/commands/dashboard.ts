import { resolve } from "node:path";
import { defaultStateRoot } from "../../local/index.js";
import { type Command, EXIT_OK } from "../command.js";
import { KUBECONFIG_HELP, loadKubeConfig } from "../kubeconfig.js";
import { parseFlags, positiveInteger, UsageError } from "../parseFlags.js";

export const dashboardCommand: Command = {
  name: "dashboard",
  summary: "serve a read-only web dashboard of local runs or of a cluster's TuningJobs",
  help: `Usage: hypertune dashboard [FILE] [options]

Serves a read-only dashboard on http://127.0.0.1:8080/: every job with its
phase, progress, best value and strategy; per job the optimisation history,
parameter importance, parallel coordinates, slice and contour plots,
intermediate values with early-stopped trials marked, the Pareto front and its
hypervolume, and the trials with their logs. Open pages update live.

Local (the default): the jobs in the state dir \`hypertune run\` uses, i.e.
.hypertune/ next to FILE, or --state-dir DIR (default ./.hypertune).

Cluster: with --cluster, --kubeconfig, --context, --namespace or --in-cluster,
TuningJobs and Trials are read through the API server with these credentials,
and trial logs through pods/log. Without --namespace: every namespace when the
credentials may list them, else the context's namespace.

Options:
  --state-dir DIR          local state root (as for hypertune run)
  --cluster                read the cluster of the current kubeconfig context
${KUBECONFIG_HELP}
  -n, --namespace NS       namespace to read, or NS1,NS2
  --in-cluster             use the pod's ServiceAccount (the Helm chart's dashboard)
  --address ADDR           address to listen on (default 127.0.0.1: this machine only)
  --port N                 port (default 8080; 0 picks a free one)
  -h, --help               show this help

Every request but GET is refused. Stop with Ctrl-C.
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, {
      "state-dir": { type: "string" },
      cluster: { type: "boolean" },
      kubeconfig: { type: "string" },
      context: { type: "string" },
      namespace: { type: "string", short: "n" },
      "in-cluster": { type: "boolean" },
      address: { type: "string" },
      port: { type: "string" },
    });
    if (values.help) {
      io.stdout.write(this.help);
      return EXIT_OK;
    }
    const [file, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`dashboard takes at most one file; unexpected "${extra[0]}"`);
    const cluster =
      values.cluster ||
      values["in-cluster"] ||
      values.kubeconfig !== undefined ||
      values.context !== undefined ||
      values.namespace !== undefined;
    if (cluster && (file !== undefined || values["state-dir"] !== undefined))
      throw new UsageError("give either a local job (FILE or --state-dir) or cluster flags, not both");
    const port = positiveInteger("--port", values.port, 0) ?? 8080;
    const address = values.address ?? "127.0.0.1";
    const { serveDashboard } = await import("../../dashboard/serve.js");
    const inCluster = Boolean(values["in-cluster"]);
    const served = await serveDashboard({
      address,
      port,
      ...(cluster
        ? {
            cluster: {
              kc: inCluster ? await inClusterConfig() : await loadKubeConfig(values),
              ...(values.namespace !== undefined && { namespace: values.namespace }),
              inCluster,
            },
          }
        : { stateRoot: resolve(values["state-dir"] ?? (file ? defaultStateRoot(file) : ".hypertune")) }),
    });
    io.stdout.write(`hypertune dashboard: ${served.url} (${served.describe}); Ctrl-C to stop\n`);
    await waitForSignal();
    await served.close();
    return EXIT_OK;
  },
};

async function inClusterConfig() {
  const { KubeConfig } = await import("@kubernetes/client-node");
  const kc = new KubeConfig();
  kc.loadFromCluster();
  return kc;
}

function waitForSignal(): Promise<void> {
  return new Promise((done) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      done();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
