import {
  defaultStateRoot,
  formatSummary,
  LocalRun,
  type LocalRunOptions,
  LocalUsageError,
  liveProgress,
  parseGpuList,
  plainProgress,
  type RunOutcome,
  type RunReporter,
  resultJson,
} from "../../local/index.js";
import { type CliIo, type Command, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE } from "../command.js";
import { parseFlags, positiveInteger, UsageError } from "../parseFlags.js";

export const runCommand: Command = {
  name: "run",
  summary: "run a TuningJob on this machine, trials as child processes",
  help: `Usage: hypertune run FILE [options]

Runs the TuningJob in FILE here, without a cluster. Each trial runs the primary
container's \`command\` + \`args\` (the image is ignored) with \${params.NAME}
substituted, as a child process without a shell, in the YAML file's folder (or
the container's workingDir, relative to it). Trials get the container's literal
env values plus HYPERTUNE_TRIAL, HYPERTUNE_TRIAL_INDEX, HYPERTUNE_PARAMS and
HYPERTUNE_PARAM_<NAME>. Metrics are read from their stdout and stderr.

Options:
  --max-trials N     override spec.limits.maxTrials (within the schema's bounds, as in the file)
  --parallelism N    override spec.limits.parallelism (likewise; lowered to maxTrials when above it)
  --gpus LIST        GPU indices trials may use, e.g. 0,1,2,3 or 0-3. A trial with
                     trialTemplate.gpus: k gets k free ones in CUDA_VISIBLE_DEVICES and
                     waits while too few are free; trials with gpus: 0 then get
                     CUDA_VISIBLE_DEVICES="". Without --gpus, CUDA_VISIBLE_DEVICES is
                     left as it is, and specs with gpus > 0 are refused.
  --state-dir DIR    where job state lives: DIR/<metadata.name>/
                     (default: .hypertune/ next to FILE)
  --resume           continue the job recorded in the state dir: finished trials are
                     kept, trials that were running when it stopped run again under
                     the same index. Only limits may differ from the recorded spec.
  --warm-start DIR   an earlier job's state folder (e.g. .hypertune/<name>); its finished
                     trials seed the strategy without counting toward this job's budget.
                     Repeatable. search.warmStartFrom names earlier jobs in the same
                     state dir the same way. The run says how many it loaded and why
                     the others were left out (outside the space, not successful, …).
  --output FORMAT    text (default: a live display on a terminal, plain lines otherwise)
                     or json (one JSON document on stdout; progress lines on stderr).
                     With several objectives both show the Pareto front (JSON:
                     paretoFront, paretoHypervolume) instead of a ranking by the first.
  -h, --help         show this help

State: DIR/<name>/job.json (seed, spec hash), trials.jsonl (one event per line,
append-only; a trial's metric reports past its first 100 at most one a second),
trials/<index>.log (each trial's newest 10 MiB of output, in two halves:
<index>.log and the older <index>.log.1).
Ctrl-C stops running trials (SIGTERM to their process group, SIGKILL 5 s later;
a second Ctrl-C kills at once); they run again on --resume.

Exit status: 0 job succeeded, 1 job failed (e.g. too many failed trials),
2 bad usage or invalid spec, 130 interrupted.
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, {
      "max-trials": { type: "string" },
      parallelism: { type: "string" },
      gpus: { type: "string" },
      "state-dir": { type: "string" },
      resume: { type: "boolean" },
      "warm-start": { type: "string", multiple: true },
      output: { type: "string" },
    });
    if (values.help) {
      io.stdout.write(this.help);
      return EXIT_OK;
    }
    const [file, ...extra] = positionals;
    if (file === undefined)
      throw new UsageError("give the TuningJob file to run, e.g. hypertune run tuningjob.yaml");
    if (extra.length > 0) throw new UsageError(`run takes one file; unexpected "${extra[0]}"`);
    const output = values.output ?? "text";
    if (output !== "text" && output !== "json")
      throw new UsageError(`--output is text or json, not "${output}"`);
    let gpus: number[] | undefined;
    if (values.gpus !== undefined) {
      const parsed = parseGpuList(values.gpus);
      if (typeof parsed === "string") throw new UsageError(parsed);
      gpus = parsed;
    }
    const maxTrials = positiveInteger("--max-trials", values["max-trials"]);
    const parallelism = positiveInteger("--parallelism", values.parallelism);
    const options: LocalRunOptions = {
      file,
      stateRoot: values["state-dir"] ?? defaultStateRoot(file),
      resume: values.resume ?? false,
      reporter: chooseReporter(output, io),
      ...(maxTrials !== undefined && { maxTrials }),
      ...(parallelism !== undefined && { parallelism }),
      ...(gpus && { gpus }),
      ...(values["warm-start"] && { warmStart: values["warm-start"] }),
    };
    return runWithSignals(options, output, io);
  },
};

function chooseReporter(output: string, io: CliIo): RunReporter {
  if (output === "json") return plainProgress(io.stderr);
  return io.stdout.isTTY ? liveProgress(io.stdout) : plainProgress(io.stdout);
}

async function runWithSignals(options: LocalRunOptions, output: string, io: CliIo): Promise<number> {
  const run = new LocalRun(options);
  const onSignal = () => run.interrupt();
  const onExit = () => run.killAllNow();
  // A closed pipe (`hypertune run … | head`) must not kill the runner and orphan its trials.
  const ignoreClosedPipe = (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE" && err.code !== "ERR_STREAM_DESTROYED") throw err;
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("exit", onExit);
  io.stdout.on("error", ignoreClosedPipe);
  io.stderr.on("error", ignoreClosedPipe);
  let outcome: RunOutcome;
  try {
    outcome = await run.start();
  } catch (err) {
    if (err instanceof LocalUsageError) {
      io.stderr.write(`hypertune run: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("exit", onExit);
  }
  if (output === "json") io.stdout.write(`${JSON.stringify(resultJson(outcome), null, 2)}\n`);
  else io.stdout.write(`\n${formatSummary(outcome)}`);
  if (outcome.status === "Interrupted") {
    // With --output json the summary (and its resume hint) is not printed; say it where people look.
    if (output === "json")
      io.stderr.write(`interrupted; state kept in ${outcome.stateDir}, continue with --resume\n`);
    return EXIT_INTERRUPTED;
  }
  return outcome.status === "Succeeded" ? EXIT_OK : EXIT_FAILED;
}
