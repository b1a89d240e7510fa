/**
 * Parsing whole TuningJob and Trial objects: schema defaults, then the
 * cross-field rules, with every problem reported as `path: rule`.
 */
import { z } from "zod";
import { specProblems } from "./rules.js";
import { TuningJobSpec } from "./spec.js";
import { TrialSpec, TrialStatus, TuningJobStatus } from "./status.js";

export const API_GROUP = "hypertune.dev";
export const API_VERSION = "v1alpha1";
export const API_GROUP_VERSION = `${API_GROUP}/${API_VERSION}`;

/** Trial names are `<job>-<index>` and must stay valid label values (≤ 63), so job names are kept short. */
export const MAX_JOB_NAME_LENGTH = 52;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const Metadata = z.looseObject({
  name: z.string().max(MAX_JOB_NAME_LENGTH).regex(DNS_LABEL, "must be a lowercase DNS label (a-z, 0-9, '-')"),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  generation: z.number().optional(),
});

export const TuningJob = z.looseObject({
  apiVersion: z.literal(API_GROUP_VERSION),
  kind: z.literal("TuningJob"),
  metadata: Metadata,
  spec: TuningJobSpec,
  status: TuningJobStatus.optional().catch(undefined),
});
export type TuningJob = z.infer<typeof TuningJob>;

export const Trial = z.looseObject({
  apiVersion: z.literal(API_GROUP_VERSION),
  kind: z.literal("Trial"),
  metadata: Metadata.extend({ name: z.string() }),
  spec: TrialSpec,
  status: TrialStatus.optional(),
});
export type Trial = z.infer<typeof Trial>;

export type ParseOutcome<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** `["spec", "parameters", 2, "max"]` → `spec.parameters[2].max`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const key of path) {
    if (typeof key === "number") text += `[${key}]`;
    else text += text === "" ? String(key) : `.${String(key)}`;
  }
  return text || "(root)";
}

function zodErrors(error: z.ZodError, prefix: PropertyKey[] = []): string[] {
  return error.issues.map((issue) => `${formatPath([...prefix, ...issue.path])}: ${issue.message}`);
}

/** Validates a spec alone (defaults applied) against the schema and the cross-field rules. */
export function parseTuningJobSpec(
  input: unknown,
  pathPrefix: PropertyKey[] = ["spec"],
): ParseOutcome<TuningJobSpec> {
  const parsed = TuningJobSpec.safeParse(input);
  if (!parsed.success) return { ok: false, errors: zodErrors(parsed.error, pathPrefix) };
  const problems = specProblems(parsed.data);
  if (problems.length > 0) {
    return {
      ok: false,
      errors: problems.map((p) => `${formatPath([...pathPrefix, ...p.path])}: ${p.message}`),
    };
  }
  return { ok: true, value: parsed.data };
}

/** Validates a whole TuningJob object, such as one read from YAML or from the API server. */
export function parseTuningJob(input: unknown): ParseOutcome<TuningJob> {
  const parsed = TuningJob.safeParse(input);
  if (!parsed.success) return { ok: false, errors: zodErrors(parsed.error) };
  const problems = specProblems(parsed.data.spec);
  if (problems.length > 0) {
    return { ok: false, errors: problems.map((p) => `${formatPath(["spec", ...p.path])}: ${p.message}`) };
  }
  return { ok: true, value: parsed.data };
}
