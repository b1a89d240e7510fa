import { readFileSync } from "node:fs";
import { API_GROUP_VERSION } from "../../api/index.js";
import { type Command, EXIT_OK } from "../command.js";
import { parseFlags, UsageError } from "../parseFlags.js";

/** package.json is three levels up from both src/cli/commands and dist/cli/commands. */
export function packageVersion(): string {
  const text = readFileSync(new URL("../../../package.json", import.meta.url), "utf8");
  return (JSON.parse(text) as { version: string }).version;
}

export const versionCommand: Command = {
  name: "version",
  summary: "print the version",
  help: "Usage: hypertune version\n\nPrints hypertune's version and the API version it speaks.\n",
  async run(args, io) {
    const { values, positionals } = parseFlags(args, {});
    if (values.help) {
      io.stdout.write(this.help);
      return EXIT_OK;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    io.stdout.write(
      `hypertune ${packageVersion()} (API ${API_GROUP_VERSION}, Node.js ${process.versions.node})\n`,
    );
    return EXIT_OK;
  },
};
