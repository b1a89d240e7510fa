/**
 * What to run for one trial: the primary container's `command` + `args` with
 * placeholders substituted, its cwd and environment. The image is ignored:
 * locally the command runs on this machine.
 */
import { isAbsolute, resolve } from "node:path";
import {
  findPrimaryContainer,
  type ParameterValues,
  renderTrialContainer,
  type TemplateContainer,
  type TuningJobSpec,
  trialName,
} from "../api/index.js";
import { LocalUsageError } from "./errors.js";

export interface TrialLaunch {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

export interface GpuSetting {
  /** True when `--gpus` was given: every trial then gets CUDA_VISIBLE_DEVICES, empty for gpus: 0. */
  managed: boolean;
  devices: readonly number[];
}

/** The primary container, or a usage error saying why it cannot run locally. */
export function localContainer(spec: TuningJobSpec): TemplateContainer & { command: string[] } {
  const found = findPrimaryContainer(spec.trialTemplate.job, spec.trialTemplate.primaryContainer);
  if ("error" in found) throw new LocalUsageError(`spec.trialTemplate.job: ${found.error}`);
  const { container } = found;
  const command = container.command;
  if (
    !Array.isArray(command) ||
    command.length === 0 ||
    typeof command[0] !== "string" ||
    command[0] === ""
  ) {
    const hint =
      Array.isArray(container.args) && container.args.length > 0
        ? " It has only `args`, which relies on the image's entrypoint; locally there is no image,"
        : "";
    throw new LocalUsageError(
      `container "${container.name}" has no \`command\`.${hint} so give the program to run, e.g. ` +
        'command: ["python", "train.py"] (args may stay as they are).',
    );
  }
  return { ...container, command };
}

export function trialLaunch(
  spec: TuningJobSpec,
  trial: { jobName: string; index: number; parameters: ParameterValues },
  jobFileDir: string,
  gpu: GpuSetting,
  /** Where this trial's collector reads (the File collector's file, the termination message). */
  collectorEnv: Readonly<Record<string, string>> = {},
): TrialLaunch {
  const container = localContainer(spec);
  const identity = { name: trialName(trial.jobName, trial.index), index: trial.index };
  const rendered = renderTrialContainer(container, trial.parameters, identity, collectorEnv);
  const [program = "", ...commandRest] = rendered.command ?? [];
  const args = [...commandRest, ...(rendered.args ?? [])];
  const workingDir = rendered.workingDir ?? "";
  const cwd =
    workingDir === "" ? jobFileDir : isAbsolute(workingDir) ? workingDir : resolve(jobFileDir, workingDir);

  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  // Only literal values: valueFrom (secrets, field refs) has no meaning off the cluster.
  for (const entry of rendered.env) if (typeof entry.value === "string") env[entry.name] = entry.value;
  if (gpu.managed) env.CUDA_VISIBLE_DEVICES = gpu.devices.join(",");
  return { command: program, args, cwd, env };
}
