import { type ParseArgsConfig, parseArgs } from "node:util";

/** Bad command-line usage; main prints it with a pointer to --help and exits 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** node:util parseArgs, strict, with `--help`/`-h` added and its errors turned into UsageError. */
export function parseFlags<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message.replace(/\. To specify .*$/s, "") : String(err));
  }
}

/** A whole number ≥ min from a flag value. */
export function positiveInteger(flag: string, text: string | undefined, min = 1): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`${flag} needs a whole number ≥ ${min}, got "${text}"`);
  }
  return value;
}
