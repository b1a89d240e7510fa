/**
 * Reading TuningJob YAML files: YAML syntax errors with line and column,
 * schema and cross-field problems as `path: message`.
 */
import { readFile } from "node:fs/promises";
import { parseAllDocuments } from "yaml";
import { parseTuningJob, type TuningJob } from "../api/index.js";

export type JobFileOutcome = { ok: true; jobs: TuningJob[] } | { ok: false; errors: string[] };

/** Parses every document of a YAML text as a TuningJob. Errors are `line:col: message` or `path: message`. */
export function parseJobFileText(text: string): JobFileOutcome {
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
  contents.forEach((doc, i) => {
    const parsed = parseTuningJob(doc.toJS());
    if (parsed.ok) jobs.push(parsed.value);
    else errors.push(...parsed.errors.map((e) => (prefixed ? `document ${i + 1}: ${e}` : e)));
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, jobs };
}

/** Reads and parses a file; a file that cannot be read is reported like any other problem. */
export async function readJobFile(path: string): Promise<JobFileOutcome> {
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
  return parseJobFileText(text);
}

/** yaml's messages end with " at line L, column C:" and a code frame; we print the position ourselves. */
function firstLineWithoutPosition(message: string): string {
  const first = message.split("\n", 1)[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, "");
}
