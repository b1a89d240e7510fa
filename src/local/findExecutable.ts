import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";

/**
 * Where `spawn` would find a program, or undefined. A name with a slash is a
 * path relative to the trial's cwd; a bare name is looked up on PATH. Checking
 * before the first trial turns a typo into one clear error instead of a string
 * of failed trials.
 */
export function findExecutable(
  program: string,
  cwd: string,
  path = process.env.PATH ?? "",
): string | undefined {
  const candidates = program.includes("/")
    ? [isAbsolute(program) ? program : resolve(cwd, program)]
    : path
        .split(delimiter)
        .filter((dir) => dir !== "")
        .map((dir) => join(dir, program));
  return candidates.find(isExecutableFile);
}

function isExecutableFile(candidate: string): boolean {
  try {
    accessSync(candidate, constants.X_OK);
    return statSync(candidate).isFile();
  } catch {
    return false;
  }
}
