import type { ParameterValue, ParameterValues } from "./parameters.js";

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

/** The environment every trial gets, on either backend. */
export function trialEnvironment(parameters: ParameterValues, trial: TrialIdentity): Record<string, string> {
  const env: Record<string, string> = {
    HYPERTUNE_TRIAL: trial.name,
    HYPERTUNE_TRIAL_INDEX: String(trial.index),
    HYPERTUNE_PARAMS: JSON.stringify(parameters),
  };
  for (const [name, value] of Object.entries(parameters)) {
    env[`HYPERTUNE_PARAM_${name.toUpperCase()}`] = formatValue(value);
  }
  return env;
}
