import { JOB_LABEL } from "../../operator/labels.js";
import { formatDescribe, type Listed } from "../cluster/describeText.js";
import { type Command, CommandFailed, EXIT_OK } from "../command.js";
import { contextNamespace, KUBECONFIG_HELP, loadKubeConfig, NAMESPACE_HELP } from "../kubeconfig.js";
import { parseFlags, positiveInteger, UsageError } from "../parseFlags.js";

export const describeCommand: Command = {
  name: "describe",
  summary: "show one TuningJob from the cluster: state, best trial, top trials, events",
  help: `Usage: hypertune describe NAME [options]

Shows one TuningJob from the cluster, like \`kubectl describe\`: its phase, the
reason and message of the condition behind it, the objective, the strategy
(what Auto chose), progress and times; then the results in the words of
\`hypertune run\`'s summary: the best trial with its parameters and the top
trials (from the job's Trials, labelled ${JOB_LABEL}=NAME) for one objective,
the Pareto front and its hypervolume for several; then the job's Events,
newest last.

Options:
${NAMESPACE_HELP}
${KUBECONFIG_HELP}
  --top N                  rows of the top-trials table (default 10)
  -h, --help               show this help

Exit status: 0 shown, 1 the job does not exist or could not be read
(unreachable, forbidden), 2 bad usage. When only its Trials or Events may not
be read, the rest is shown with a line saying so.
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, {
      namespace: { type: "string", short: "n" },
      kubeconfig: { type: "string" },
      context: { type: "string" },
      top: { type: "string" },
    });
    if (values.help) {
      io.stdout.write(this.help);
      return EXIT_OK;
    }
    const [name, ...extra] = positionals;
    if (name === undefined) throw new UsageError("give the name of the TuningJob to describe");
    if (extra.length > 0) throw new UsageError(`describe takes one name; unexpected "${extra[0]}"`);
    const top = positiveInteger("--top", values.top) ?? 10;

    const kc = await loadKubeConfig(values);
    const namespace = values.namespace ?? contextNamespace(kc);
    const { clusterReads } = await import("../cluster/read.js");
    const reads = clusterReads(kc);
    const job = await reads.tuningJob(namespace, name);
    const [trials, events] = await Promise.all([
      listed(reads.trials(namespace, name)),
      listed(reads.events(job)),
    ]);
    io.stdout.write(formatDescribe({ job, trials, events, nowMs: Date.now(), top }));
    return EXIT_OK;
  },
};

/** The job was read: a Trials or Events list that fails (RBAC, say) becomes a line, not a failure. */
async function listed<T>(items: Promise<T[]>): Promise<Listed<T>> {
  try {
    return { items: await items };
  } catch (err) {
    if (err instanceof CommandFailed) return { error: err.message };
    throw err;
  }
}
