/**
 * Reading TuningJob YAML files: YAML syntax errors with line and column,
 * schema and cross-field problems as `path: message`.
 */
import { readFile } from "node:fs/promises";
import { parseAllDocuments } from "yaml";
import { API_GROUP, parseTuningJob, type TuningJob } from "../api/index.js";

/** `skipped`: one note per document left out by `skipOtherKinds`. */
export type JobFileOutcome =
  | { ok: true; jobs: TuningJob[]; skipped: string[] }
  | { ok: false; errors: string[] };

export interface JobFileOptions {
  /**
   * Leave out, with a note, documents that say they are something else (a
   * GitOps folder's Deployments and Kustomizations) instead of judging them as
   * TuningJobs. A document without a kind is still judged: it is more likely
   * a TuningJob with a mistake than something else.
   */
  skipOtherKinds?: boolean;
}

/** Parses every document of a YAML text as a TuningJob. Errors are `line:col: message` or `path: message`. */
export function parseJobFileText(text: string, options: JobFileOptions = {}): JobFileOutcome {
  const documents = parseAllDocuments(text);
  const errors: string[] = [];
  const jobs: TuningJob[] = [];
  const docs = Array.isArray(documents) ? documents : [];
  for (const doc of docs) {
    for (const error of doc.errors) {
      const at = error.linePos?.[0];
      const where = at ? `${at.line}:${at.col}` : "(yaml)";
      errors.push(`${where}: ${firstLineWithoutPosition(error.message)}`);
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const contents = docs.filter((doc) => doc.contents !== null);
  if (contents.length === 0) return { ok: false, errors: ["(root): the file holds no YAML document"] };
  const prefixed = contents.length > 1;
  const skipped: string[] = [];
  contents.forEach((doc, i) => {
    const value: unknown = doc.toJS();
    const other = options.skipOtherKinds ? otherKind(value) : undefined;
    if (other !== undefined) {
      skipped.push(
        `${prefixed ? `document ${i + 1}: ` : ""}${other} is not a TuningJob (${API_GROUP}), skipped`,
      );
      return;
    }
    const parsed = parseTuningJob(value);
    if (parsed.ok) jobs.push(parsed.value);
    else errors.push(...parsed.errors.map((e) => (prefixed ? `document ${i + 1}: ` : "") + e));
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, jobs, skipped };
}

/** `apps/v1 Deployment "web"` for a document that names a kind other than hypertune.dev's TuningJob. */
function otherKind(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { apiVersion, kind, metadata } = value as Record<string, unknown>;
  if (typeof kind !== "string") return undefined;
  const group = typeof apiVersion === "string" && apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
  if (kind === "TuningJob" && (group === API_GROUP || apiVersion === undefined)) return undefined;
  const name = (metadata as { name?: unknown } | undefined)?.name;
  const version = typeof apiVersion === "string" ? `${apiVersion} ` : "";
  return `${version}${kind}${typeof name === "string" ? ` "${name}"` : ""}`;
}

/** Reads and parses a file; a file that cannot be read is reported like any other problem. */
export async function readJobFile(path: string, options: JobFileOptions = {}): Promise<JobFileOutcome> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      ok: false,
      errors: [code === "ENOENT" ? "no such file" : `cannot read: ${(err as Error).message}`],
    };
  }
  return parseJobFileText(text, options);
}

/** yaml's messages end with " at line L, column C:" and a code frame; we print the position ourselves. */
function firstLineWithoutPosition(message: string): string {
  const first = message.split("\n", 1)[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, "");
}
