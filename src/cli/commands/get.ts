import { summarizeJob } from "../cluster/jobSummary.js";
import { formatJobTable } from "../cluster/jobTable.js";
import { type Command, EXIT_OK } from "../command.js";
import { contextNamespace, KUBECONFIG_HELP, loadKubeConfig, NAMESPACE_HELP } from "../kubeconfig.js";
import { parseFlags, UsageError } from "../parseFlags.js";

export const getCommand: Command = {
  name: "get",
  summary: "list TuningJobs in the cluster: phase, trials, best value, strategy",
  help: `Usage: hypertune get [NAME] [options]

Lists the TuningJobs of a namespace (or the one named) from the cluster, like
\`kubectl get tuningjobs\`, with the objective beside the best value and what
Auto chose beside Auto. Columns: NAME; PHASE (Pending, Running, Suspended,
Complete, Failed or Invalid); TRIALS (finished/maxTrials); BEST (objective=value
of the best trial; with several objectives front=N hv=V, the Pareto front's
size and hypervolume); STRATEGY (the one in use: Auto→TPE when Auto chose TPE);
AGE. \`hypertune describe NAME\` shows one job in full.

Options:
${NAMESPACE_HELP}
  -A, --all-namespaces     every namespace's TuningJobs, with a NAMESPACE column
${KUBECONFIG_HELP}
  -o, --output FORMAT      text (default) or json: one object per job (an {"items": [...]}
                           list without NAME) with namespace, name, phase, finished,
                           maxTrials, best, paretoFront, requestedStrategy, strategy
  -h, --help               show this help

Exit status: 0 listed (also when there are none), 1 the job does not exist or
the cluster could not be read (unreachable, forbidden), 2 bad usage.
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, {
      namespace: { type: "string", short: "n" },
      "all-namespaces": { type: "boolean", short: "A" },
      kubeconfig: { type: "string" },
      context: { type: "string" },
      output: { type: "string", short: "o" },
    });
    if (values.help) {
      io.stdout.write(this.help);
      return EXIT_OK;
    }
    const [name, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`get takes at most one name; unexpected "${extra[0]}"`);
    const output = values.output ?? "text";
    if (output !== "text" && output !== "json") throw new UsageError("--output must be text or json");
    const all = values["all-namespaces"] === true;
    if (all && name !== undefined)
      throw new UsageError(
        "a TuningJob is named within one namespace: give -n NS instead of --all-namespaces",
      );
    if (all && values.namespace !== undefined)
      throw new UsageError("give either --namespace or --all-namespaces");

    const kc = await loadKubeConfig(values);
    const namespace = all ? undefined : (values.namespace ?? contextNamespace(kc));
    const { clusterReads } = await import("../cluster/read.js");
    const reads = clusterReads(kc);
    const jobs =
      name !== undefined && namespace !== undefined
        ? [await reads.tuningJob(namespace, name)]
        : await reads.tuningJobs(namespace);
    const summaries = jobs.map(summarizeJob);
    if (output === "json") {
      const document = name !== undefined ? summaries[0] : { items: summaries };
      io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
      return EXIT_OK;
    }
    if (summaries.length === 0) {
      // As kubectl: nothing on stdout, a note on stderr, success.
      io.stderr.write(
        `No TuningJobs found ${namespace === undefined ? "in any namespace" : `in namespace "${namespace}"`}.\n`,
      );
      return EXIT_OK;
    }
    io.stdout.write(formatJobTable(summaries, { withNamespace: all, nowMs: Date.now() }));
    return EXIT_OK;
  },
};
