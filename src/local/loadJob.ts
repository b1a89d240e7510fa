/**
 * Reading a job file for `hypertune run`: the file's own validation, then the
 * command-line limit overrides checked by the same schema, then what only
 * the local backend needs (a program it can start, GPUs to give).
 */
import { dirname, resolve } from "node:path";
import {
  formatPath,
  Limits,
  parseTuningJobSpec,
  placeholdersIn,
  type TuningJob,
  type TuningJobSpec,
} from "../api/index.js";
import { LocalUsageError } from "./errors.js";
import { findExecutable } from "./findExecutable.js";
import { readJobFile } from "./jobFile.js";
import { localContainer } from "./trialLaunch.js";

export interface JobOverrides {
  /** `--max-trials` */
  maxTrials?: number;
  /** `--parallelism` */
  parallelism?: number;
  /** `--gpus` */
  gpus?: readonly number[];
}

const FLAG_OF_LIMIT: Readonly<Record<string, string>> = {
  maxTrials: "--max-trials",
  parallelism: "--parallelism",
};

/** Reads, validates and prepares a job file; throws LocalUsageError for anything the user must fix. */
export async function loadRunnableJob(
  file: string,
  overrides: JobOverrides,
): Promise<{ job: TuningJob; spec: TuningJobSpec }> {
  const read = await readJobFile(file);
  if (!read.ok) throw new LocalUsageError(read.errors.map((e) => `${file}: ${e}`).join("\n"));
  const [job, ...more] = read.jobs;
  if (!job || more.length > 0)
    throw new LocalUsageError(`${file}: holds ${read.jobs.length} TuningJobs; run one per file`);
  const spec = withLimitOverrides(job.spec, overrides, file);
  checkProgram(spec, file);
  const gpusPerTrial = spec.trialTemplate.gpus;
  if (gpusPerTrial > 0 && overrides.gpus === undefined) {
    throw new LocalUsageError(
      `${file}: trials need ${gpusPerTrial} GPU(s) each (trialTemplate.gpus); say which GPUs they may use, e.g. --gpus 0,1`,
    );
  }
  if (overrides.gpus !== undefined && gpusPerTrial > overrides.gpus.length) {
    throw new LocalUsageError(
      `${file}: trials need ${gpusPerTrial} GPUs each but --gpus lists only ${overrides.gpus.length}`,
    );
  }
  return { job, spec };
}

/**
 * The spec with `--max-trials` / `--parallelism` applied, validated as the
 * file was: a flag may not say what the file could not.
 */
export function withLimitOverrides(
  spec: TuningJobSpec,
  overrides: Pick<JobOverrides, "maxTrials" | "parallelism">,
  file: string,
): TuningJobSpec {
  const limits = { ...spec.limits };
  if (overrides.maxTrials !== undefined) limits.maxTrials = overrides.maxTrials;
  if (overrides.parallelism !== undefined) limits.parallelism = overrides.parallelism;
  // The schema's own bounds first, before the convenience below could hide an out-of-range flag.
  const bounded = Limits.safeParse(limits);
  if (!bounded.success) {
    throw new LocalUsageError(
      bounded.error.issues
        .map((issue) => {
          const key = String(issue.path[0] ?? "");
          const flag = FLAG_OF_LIMIT[key];
          const given = flag ? `${flag} ${String(limits[key as keyof typeof limits])}: ` : "";
          return `${file}: ${given}${formatPath(["spec", "limits", ...issue.path])}: ${issue.message}`;
        })
        .join("\n"),
    );
  }
  // A small --max-trials should just work, not trip over the spec's parallelism.
  limits.parallelism = Math.min(limits.parallelism, limits.maxTrials);
  const parsed = parseTuningJobSpec({ ...spec, limits });
  if (!parsed.ok) throw new LocalUsageError(parsed.errors.map((e) => `${file}: ${e}`).join("\n"));
  return parsed.value;
}

/** Refuses a program that cannot be found, when the name is fixed (has no placeholder). */
function checkProgram(spec: TuningJobSpec, file: string): void {
  const container = localContainer(spec);
  const [program = ""] = container.command;
  const workingDir = container.workingDir ?? "";
  if (placeholdersIn(program).length > 0 || placeholdersIn(workingDir).length > 0) return;
  const cwd = resolve(dirname(file), workingDir);
  if (!findExecutable(program, cwd)) {
    const where = program.includes("/") ? `relative to ${cwd}` : "on PATH";
    throw new LocalUsageError(
      `${file}: the trial command "${program}" (container "${container.name}") was not found ${where}, or is not executable`,
    );
  }
}
