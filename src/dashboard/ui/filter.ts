/**
 * The trial table's filter, also applied to the plots: space-separated terms,
 * all of which must hold. `NAME<3`, `NAME>=0.1`, `NAME=adam`, `NAME!=adam`
 * compare a parameter, a metric, or phase/reason/index; a bare word matches
 * any text field (phase, reason, categorical values) containing it.
 * Pure and DOM-free so it is unit-tested; it works on the view's columns so
 * a filter over 50,000 trials is one pass over arrays.
 */
import type { TrialColumns } from "../view.js";

export type Selection = Uint8Array;

type Term =
  | { kind: "compare"; field: string; op: "<" | "<=" | ">" | ">=" | "=" | "!="; value: string }
  | { kind: "word"; word: string };

const TERM = /^([A-Za-z_][A-Za-z0-9_.]*)(<=|>=|!=|<|>|=)(.*)$/;

export function parseFilter(text: string): { terms: Term[]; errors: string[] } {
  const terms: Term[] = [];
  const errors: string[] = [];
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    const m = TERM.exec(token);
    if (!m) {
      terms.push({ kind: "word", word: token.toLowerCase() });
      continue;
    }
    const [, field = "", op = "=", value = ""] = m;
    if (value === "") errors.push(`"${token}": nothing to compare with`);
    else terms.push({ kind: "compare", field, op: op as "=", value });
  }
  return { terms, errors };
}

/** 1 for every trial (in column order) that passes all terms. */
export function applyFilter(columns: TrialColumns, text: string): { selection: Selection; errors: string[] } {
  const n = columns.index.length;
  const selection = new Uint8Array(n).fill(1);
  const { terms, errors } = parseFilter(text);
  for (const term of terms) {
    if (term.kind === "word") {
      const texts = textColumns(columns);
      for (let i = 0; i < n; i++) {
        if (
          selection[i] &&
          !texts.some((col) =>
            String(col[i] ?? "")
              .toLowerCase()
              .includes(term.word),
          )
        )
          selection[i] = 0;
      }
      continue;
    }
    const column = columnOf(columns, term.field);
    if (!column) {
      errors.push(`no parameter or metric "${term.field}"`);
      continue;
    }
    const wanted = Number(term.value);
    const numeric = term.value.trim() !== "" && Number.isFinite(wanted);
    for (let i = 0; i < n; i++) {
      if (selection[i] && !holds(column[i] ?? null, term.op, term.value, numeric ? wanted : undefined))
        selection[i] = 0;
    }
  }
  return { selection, errors };
}

function holds(actual: unknown, op: string, text: string, number: number | undefined): boolean {
  if (actual === null || actual === undefined) return op === "!=";
  if (number !== undefined && typeof actual === "number") {
    switch (op) {
      case "<":
        return actual < number;
      case "<=":
        return actual <= number;
      case ">":
        return actual > number;
      case ">=":
        return actual >= number;
      case "=":
        return actual === number;
      default:
        return actual !== number;
    }
  }
  const same = String(actual).toLowerCase() === text.toLowerCase();
  if (op === "=") return same;
  if (op === "!=") return !same;
  return false;
}

function columnOf(columns: TrialColumns, field: string): readonly unknown[] | undefined {
  if (field === "index" || field === "trial") return columns.index;
  if (field === "phase") return columns.phase;
  if (field === "reason") return columns.reason;
  return columns.params[field] ?? columns.metrics[field];
}

function textColumns(columns: TrialColumns): (readonly unknown[])[] {
  const categorical = Object.values(columns.params).filter((col) => col.some((v) => typeof v === "string"));
  return [columns.phase, columns.reason, columns.message, ...categorical];
}
