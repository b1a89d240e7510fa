import { readdir, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { readJobFile } from "../../local/index.js";
import { type Command, EXIT_FAILED, EXIT_OK } from "../command.js";
import { parseFlags, UsageError } from "../parseFlags.js";

const YAML_EXTENSIONS = new Set([".yaml", ".yml"]);

export const validateCommand: Command = {
  name: "validate",
  summary: "check TuningJob files without running them",
  help: `Usage: hypertune validate FILE|DIR...

Checks each TuningJob file against the schema and the cross-field rules (the
same checks the operator and \`hypertune run\` make). A folder stands for every
.yaml/.yml file directly in it.

Prints "FILE: ok" for a valid file and "FILE: path: problem" for each problem
(YAML syntax errors as "FILE:LINE:COLUMN: problem").
Exit status: 0 when every file is valid, 1 otherwise, 2 for bad usage.
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, {});
    if (values.help) {
      io.stdout.write(this.help);
      return EXIT_OK;
    }
    if (positionals.length === 0) throw new UsageError("give at least one file or folder to validate");
    let invalid = 0;
    for (const file of await expandPaths(positionals)) {
      const outcome = await readJobFile(file);
      if (outcome.ok) {
        io.stdout.write(`${file}: ok\n`);
        continue;
      }
      invalid++;
      for (const error of outcome.errors) {
        // Syntax errors start with LINE:COL and read best glued to the file name.
        io.stdout.write(/^\d+:\d+: /.test(error) ? `${file}:${error}\n` : `${file}: ${error}\n`);
      }
    }
    return invalid > 0 ? EXIT_FAILED : EXIT_OK;
  },
};

async function expandPaths(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isDirectory()) {
      files.push(path);
      continue;
    }
    const entries = await readdir(path, { withFileTypes: true });
    const yamls = entries
      .filter((e) => e.isFile() && YAML_EXTENSIONS.has(extname(e.name)))
      .map((e) => e.name);
    if (yamls.length === 0) throw new UsageError(`${path} holds no .yaml or .yml files`);
    files.push(...yamls.sort().map((name) => join(path, name)));
  }
  return files;
}
