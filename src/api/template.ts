import { type ParameterValue, type ParameterValues, parameterEnvName } from "./parameters.js";

/**
 * The parts of the embedded batch/v1 Job template that hypertune itself reads.
 * The template stays free-form; these helpers look inside it without copying it.
 */
export interface TemplateContainer {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: { name: string; value?: string; [key: string]: unknown }[];
  [key: string]: unknown;
}

/** `${params.NAME}`, `${trial.name}` and `${trial.index}`; other `${…}` text is left alone. */
export const PLACEHOLDER_RE = /\$\{(params|trial)\.([A-Za-z_][A-Za-z0-9_]*)\}/g;
export const TRIAL_PLACEHOLDERS = ["name", "index"] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The pod template's containers, or undefined when the template has none in the expected place. */
export function templateContainers(job: Record<string, unknown>): unknown[] | undefined {
  const template = job.template;
  if (!isRecord(template) || !isRecord(template.spec)) return undefined;
  const containers = template.spec.containers;
  return Array.isArray(containers) ? containers : undefined;
}

/** The names of the pod template's volumes. */
export function templateVolumeNames(job: Record<string, unknown>): string[] {
  const template = job.template;
  if (!isRecord(template) || !isRecord(template.spec) || !Array.isArray(template.spec.volumes)) return [];
  return template.spec.volumes.flatMap((v) => (isRecord(v) && typeof v.name === "string" ? [v.name] : []));
}

/** Resolves the primary container: the named one, or the only one. */
export function findPrimaryContainer(
  job: Record<string, unknown>,
  primaryName: string | undefined,
): { container: TemplateContainer } | { error: string } {
  const containers = templateContainers(job);
  if (!containers || containers.length === 0) {
    return { error: "job.template.spec.containers must list at least one container" };
  }
  const named = containers.filter(
    (c): c is TemplateContainer => isRecord(c) && typeof c.name === "string" && c.name !== "",
  );
  if (named.length !== containers.length) return { error: "every container needs a name" };
  if (primaryName === undefined) {
    const [only] = named;
    if (named.length === 1 && only) return { container: only };
    return { error: `primaryContainer is required when the template has ${named.length} containers` };
  }
  const found = named.find((c) => c.name === primaryName);
  if (!found) {
    const names = named.map((c) => c.name).join(", ");
    return { error: `primaryContainer "${primaryName}" is not among the template's containers (${names})` };
  }
  return { container: found };
}

/** Every string of a container that placeholders are substituted in. */
export function substitutableStrings(container: TemplateContainer): string[] {
  const strings: string[] = [];
  for (const list of [container.command, container.args]) {
    if (Array.isArray(list)) strings.push(...list.filter((s): s is string => typeof s === "string"));
  }
  if (typeof container.workingDir === "string") strings.push(container.workingDir);
  for (const env of container.env ?? []) {
    if (isRecord(env) && typeof env.value === "string") strings.push(env.value);
  }
  return strings;
}

/** Placeholders used in a string, as `[namespace, name]` pairs. */
export function placeholdersIn(text: string): [string, string][] {
  return [...text.matchAll(PLACEHOLDER_RE)].map((m) => [m[1] ?? "", m[2] ?? ""]);
}

export interface TrialIdentity {
  name: string;
  index: number;
}

/** A trial's name, on both backends: `<job>-<index>`. */
export function trialName(jobName: string, index: number): string {
  return `${jobName}-${index}`;
}

function formatValue(value: ParameterValue): string {
  return String(value);
}

/** Replaces `${params.NAME}`, `${trial.name}` and `${trial.index}` in one string. Never runs a shell. */
export function substitutePlaceholders(
  text: string,
  parameters: ParameterValues,
  trial: TrialIdentity,
): string {
  return text.replace(PLACEHOLDER_RE, (whole, scope: string, name: string) => {
    if (scope === "trial") {
      if (name === "name") return trial.name;
      if (name === "index") return String(trial.index);
      return whole;
    }
    const value = parameters[name];
    // An inactive conditional parameter substitutes as empty text.
    return value === undefined ? "" : formatValue(value);
  });
}

/**
 * True when every placeholder of an argument names a parameter this trial
 * does not have (an inactive conditional one): such an argument is left out,
 * so `--rate_drop=${params.rate_drop}` does not become `--rate_drop=`.
 */
function onlyInactive(text: string, parameters: ParameterValues): boolean {
  const used = placeholdersIn(text);
  return (
    used.length > 0 && used.every(([scope, name]) => scope === "params" && parameters[name] === undefined)
  );
}

/** Python holds stdout in a block buffer when it is not a terminal; reports would then arrive at exit. */
const DEFAULT_ENVIRONMENT: Readonly<Record<string, string>> = { PYTHONUNBUFFERED: "1" };

/** The environment every trial gets, on either backend (before the defaults, which the user may override). */
export function trialEnvironment(parameters: ParameterValues, trial: TrialIdentity): Record<string, string> {
  const env: Record<string, string> = {
    HYPERTUNE_TRIAL: trial.name,
    HYPERTUNE_TRIAL_INDEX: String(trial.index),
    HYPERTUNE_PARAMS: JSON.stringify(parameters),
  };
  for (const [name, value] of Object.entries(parameters)) {
    env[parameterEnvName(name)] = formatValue(value);
  }
  return env;
}

export type EnvEntry = NonNullable<TemplateContainer["env"]>[number];

export interface RenderedContainer {
  command?: string[];
  args?: string[];
  workingDir?: string;
  /**
   * The container's own entries (values substituted; `valueFrom` ones as they
   * are), then the trial's, which win; `PYTHONUNBUFFERED=1` unless the
   * container sets it.
   */
  env: EnvEntry[];
}

/**
 * The primary container of one trial, for both backends: placeholders
 * substituted in command, args, workingDir and env values, arguments of only
 * inactive parameters left out, and the trial's environment added.
 * `backendEnv` is what only the backend knows (where the collector's file is).
 */
export function renderTrialContainer(
  container: TemplateContainer,
  parameters: ParameterValues,
  trial: TrialIdentity,
  backendEnv: Readonly<Record<string, string>> = {},
): RenderedContainer {
  const sub = (text: string) => substitutePlaceholders(text, parameters, trial);
  const argv = (list: string[]) => list.filter((a) => !onlyInactive(a, parameters)).map(sub);
  const added = { ...trialEnvironment(parameters, trial), ...backendEnv };
  const own = (container.env ?? []).filter((e) => !(e.name in added));
  const defaults = Object.entries(DEFAULT_ENVIRONMENT).filter(([name]) => !own.some((e) => e.name === name));
  return {
    ...(container.command && { command: argv(container.command) }),
    ...(container.args && { args: argv(container.args) }),
    ...(container.workingDir && { workingDir: sub(container.workingDir) }),
    env: [
      ...own.map((e) => (typeof e.value === "string" ? { ...e, value: sub(e.value) } : e)),
      ...[...Object.entries(added), ...defaults].map(([name, value]) => ({ name, value })),
    ],
  };
}

/** Where the trial writes its termination message: the container's own path, or Kubernetes' default. */
export function terminationMessagePath(container: TemplateContainer): string {
  const path = container.terminationMessagePath;
  return typeof path === "string" && path !== "" ? path : "/dev/termination-log";
}

/** Why a TerminationMessage trial has no metrics, in the same words on both backends. */
export function noTerminationMessage(container: string): string {
  return `container ${container} has no termination message`;
}

/** Environment variables naming where a trial writes what the File and TerminationMessage collectors read. */
export const METRICS_FILE_ENV = "HYPERTUNE_METRICS_FILE";
export const TERMINATION_MESSAGE_ENV = "HYPERTUNE_TERMINATION_MESSAGE_PATH";

/** Which run of the trial this is (1, 2… after preemptions), and where it may keep checkpoints across them. */
export const ATTEMPT_ENV = "HYPERTUNE_ATTEMPT";
export const CHECKPOINT_DIR_ENV = "HYPERTUNE_CHECKPOINT_DIR";

/** The environment a trial's attempt gets on both backends; the checkpoint directory only where there is one. */
export function attemptEnvironment(
  attempt: number,
  checkpointDir: string | undefined,
): Record<string, string> {
  return {
    [ATTEMPT_ENV]: String(attempt),
    ...(checkpointDir !== undefined && { [CHECKPOINT_DIR_ENV]: checkpointDir }),
  };
}
