import { stringify } from "yaml";
import type { TuningJob, TuningJobSpec } from "../../api/index.js";
import { plan } from "../../engine/index.js";
import { readJobFile } from "../../local/index.js";
import { renderTrialJob } from "../../operator/render-job.js";
import { seedFromUid } from "../../operator/seed.js";
import { trialObject } from "../../operator/trial-object.js";
import { type Command, CommandFailed, EXIT_OK } from "../command.js";
import { parseFlags, positiveInteger, UsageError } from "../parseFlags.js";
import { defaultCollectorImage } from "./operator.js";

/** What the API server fills in: shown as such rather than invented. */
const SET_BY_API_SERVER = "(set by the API server)";

export const renderCommand: Command = {
  name: "render",
  summary: "print the Trial and Job the operator would create for one trial",
  help: `Usage: hypertune render FILE [options]

Prints, as YAML, the objects the operator creates for one trial of the
TuningJob in FILE: its Trial, and the batch/v1 Job that runs it. For reviews
(a GitOps pull request) and for checking a template before it reaches a
cluster; nothing is sent anywhere.

The parameters are the strategy's first suggestions, made with no results
yet. For Grid, Random and Sobol that is exactly what the operator runs; for
model-based strategies (TPE, Bayesian, CMA-ES…) it holds for the trials of
their random start-up, and later trials depend on earlier results.

Options:
  --index N                the trial's index (default 0)
  --namespace NS           namespace to render into (default: the file's, or "default")
  --seed N                 seed when the spec sets none (the operator derives one from the
                           TuningJob's uid; by default this uses one derived from its name)
  --attempt N              render the Job of attempt N, as after N-1 preemptions (default 1)
  --collector-image IMAGE  image of the File collector sidecar (default: $HYPERTUNE_IMAGE,
                           else this version's release image)
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, {
      index: { type: "string" },
      namespace: { type: "string" },
      seed: { type: "string" },
      attempt: { type: "string" },
      "collector-image": { type: "string" },
    });
    if (values.help) {
      io.stdout.write(this.help);
      return EXIT_OK;
    }
    const [file, ...rest] = positionals;
    if (!file || rest.length > 0) throw new UsageError("give exactly one TuningJob file");
    const index = positiveInteger("--index", values.index, 0) ?? 0;
    const attempt = positiveInteger("--attempt", values.attempt) ?? 1;
    const seedFlag = positiveInteger("--seed", values.seed, 0);

    const read = await readJobFile(file);
    if (!read.ok) throw new CommandFailed(`${file}: ${read.errors.join("; ")}`);
    const [job, ...others] = read.jobs;
    if (!job) throw new CommandFailed(`${file} holds no TuningJob`);
    if (others.length > 0)
      throw new CommandFailed(`${file} holds ${read.jobs.length} TuningJobs; render reads one`);
    if (index >= job.spec.limits.maxTrials)
      throw new UsageError(`--index ${index} is past the job's maxTrials (${job.spec.limits.maxTrials})`);

    const namespace = values.namespace ?? job.metadata.namespace ?? "default";
    const seed = job.spec.search.seed ?? seedFlag ?? seedFromUid(job.metadata.uid ?? job.metadata.name);
    const { parameters, strategy } = firstSuggestion(job.spec, seed, index);
    if (!parameters) throw new CommandFailed(`the search space has fewer than ${index + 1} points`);

    const name = job.metadata.name;
    const trial = trialObject(name, namespace, SET_BY_API_SERVER, index, parameters);
    const rendered = renderTrialJob({
      jobName: name,
      namespace,
      spec: job.spec,
      trial: { name: trial.metadata.name, uid: SET_BY_API_SERVER, index, parameters, attempt },
      collectorImage: values["collector-image"] ?? defaultCollectorImage(),
    });
    io.stdout.write(`${header(job, strategy, seed, index)}${stringify(trial)}---\n${stringify(rendered)}`);
    return EXIT_OK;
  },
};

/** Trial `index`'s parameters as the strategy suggests them before any result is in. */
function firstSuggestion(spec: TuningJobSpec, seed: number, index: number) {
  const wide = Math.max(spec.limits.maxTrials, index + 1);
  const limits = { ...spec.limits, maxTrials: wide, parallelism: wide };
  const first = plan({ ...spec, suspend: false, limits, search: { ...spec.search, seed } }, [], Date.now());
  return { parameters: first.create.find((c) => c.index === index)?.parameters, strategy: first.strategy };
}

function header(job: TuningJob, strategy: string, seed: number, index: number): string {
  const seedNote =
    job.spec.search.seed === undefined
      ? ` (the spec sets none: on a cluster the operator derives it from the TuningJob's uid, so set spec.search.seed or pass --seed to match)`
      : "";
  return [
    `# Trial ${index} of TuningJob ${job.metadata.name}: strategy ${strategy}, seed ${seed}${seedNote}.`,
    "# Parameters are the strategy's suggestion with no results yet (see `hypertune render --help`).",
    "",
  ].join("\n");
}
