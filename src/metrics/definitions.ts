import type { MetricDefinition } from "./types.js";
import { STEP_KEY } from "./types.js";

/** Longest regex source accepted; metric regexes are short, and long ones hide backtracking traps. */
export const MAX_REGEX_LENGTH = 1024;

export interface CompiledDefinition {
  name: string;
  regex: RegExp;
}

/**
 * Problems with user metric regexes, one string each (empty when all are
 * fine). Call it when validating a spec; the parser itself skips bad
 * definitions instead of throwing. A definition also declares its name.
 */
export function validateMetricDefinitions(definitions: readonly MetricDefinition[]): string[] {
  const errors: string[] = [];
  const seen = new Set<string>();
  definitions.forEach((definition, index) => {
    const where = `metrics.definitions[${index}] (${definition.name})`;
    if (definition.name === "") errors.push(`metrics.definitions[${index}]: name is empty`);
    if (definition.name === STEP_KEY) errors.push(`${where}: "${STEP_KEY}" is reserved for the step`);
    if (seen.has(definition.name)) errors.push(`${where}: a second definition for the same name`);
    seen.add(definition.name);
    const problem = regexProblem(definition.regex);
    if (problem !== undefined) errors.push(`${where}: ${problem}`);
  });
  return errors;
}

/** The valid definitions, compiled; invalid ones are left out. */
export function compileDefinitions(definitions: readonly MetricDefinition[]): CompiledDefinition[] {
  const compiled: CompiledDefinition[] = [];
  for (const { name, regex } of definitions) {
    if (name === "" || name === STEP_KEY || regexProblem(regex) !== undefined) continue;
    if (compiled.some((c) => c.name === name)) continue;
    compiled.push({ name, regex: new RegExp(regex) });
  }
  return compiled;
}

function regexProblem(source: string): string | undefined {
  if (typeof source !== "string" || source === "") return "regex is empty";
  if (source.length > MAX_REGEX_LENGTH) return `regex is longer than ${MAX_REGEX_LENGTH} characters`;
  let groups: number;
  try {
    // Appending an empty alternative makes any regex match "", so the match
    // array's length tells the number of capture groups.
    groups = (new RegExp(`${source}|`).exec("")?.length ?? 1) - 1;
  } catch (error) {
    return `invalid regex: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (groups !== 1) return `regex must have exactly one capture group (the value), found ${groups}`;
  if (hasNestedQuantifier(source)) {
    return "regex repeats a group that itself contains a repetition, e.g. (a+)+; it can backtrack for minutes on a hostile line";
  }
  return undefined;
}

/**
 * A heuristic against catastrophic backtracking: JavaScript regexes have no
 * timeout, and the operator runs them on untrusted trial output. It catches
 * the classic (x+)+ / (x*)* shapes, not every exponential regex (overlapping
 * alternatives such as (a|a)* get through); the line-length bound limits the rest.
 */
export function hasNestedQuantifier(source: string): boolean {
  const outer: boolean[] = [];
  let repeats = false; // whether the group being scanned contains a repetition
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === "\\") {
      i += 2;
      continue;
    }
    if (c === "[") {
      i = skipClass(source, i + 1);
      continue;
    }
    if (c === "(") {
      outer.push(repeats);
      repeats = false;
      i++;
      continue;
    }
    if (c === ")") {
      const inner: boolean = repeats;
      repeats = (outer.pop() ?? false) || inner;
      i++;
      if (inner && isRepetitionAt(source, i)) return true;
      continue;
    }
    if (isRepetitionAt(source, i)) repeats = true;
    i++;
  }
  return false;
}

function skipClass(source: string, start: number): number {
  let i = start;
  while (i < source.length && source[i] !== "]") i += source[i] === "\\" ? 2 : 1;
  return i + 1;
}

function isRepetitionAt(source: string, i: number): boolean {
  const c = source[i];
  return c === "*" || c === "+" || (c === "{" && /^\{\d+(?:,\d*)?\}/.test(source.slice(i, i + 24)));
}
