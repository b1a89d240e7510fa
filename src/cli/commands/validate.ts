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

Documents of other kinds (a Deployment, a Kustomization: anything whose
apiVersion and kind say it is not a hypertune.dev TuningJob) are skipped with
a note, so a GitOps folder can be checked as it is; each FILE or DIR given must
still hold at least one TuningJob.

Prints "FILE: ok" for a valid file, "FILE: note: ..." for a skipped document
and "FILE: path: problem" for each problem (YAML syntax errors as
"FILE:LINE:COLUMN: problem").
Exit status: 0 when every file is valid, 1 otherwise, 2 for bad usage.
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, {});
    if (values.help) {
      io.stdout.write(this.help);
      return EXIT_OK;
    }
    if (positionals.length === 0) throw new UsageError("give at least one file or folder to validate");
    // Expanded first, so that a folder without YAML is a usage error before anything is printed.
    const expanded: [string, string[]][] = [];
    for (const path of positionals) expanded.push([path, await expandPath(path)]);
    let invalid = 0;
    for (const [path, files] of expanded) {
      let jobs = 0;
      let failed = false;
      for (const file of files) {
        const outcome = await readJobFile(file, { skipOtherKinds: true });
        if (outcome.ok) {
          for (const note of outcome.skipped) io.stdout.write(`${file}: note: ${note}\n`);
          jobs += outcome.jobs.length;
          if (outcome.jobs.length > 0) io.stdout.write(`${file}: ok\n`);
          continue;
        }
        failed = true;
        for (const error of outcome.errors) {
          // Syntax errors start with LINE:COL and read best glued to the file name.
          io.stdout.write(/^\d+:\d+: /.test(error) ? `${file}:${error}\n` : `${file}: ${error}\n`);
        }
      }
      if (failed) invalid++;
      else if (jobs === 0) {
        invalid++;
        io.stdout.write(`${path}: holds no TuningJob (apiVersion hypertune.dev/…, kind TuningJob)\n`);
      }
    }
    return invalid > 0 ? EXIT_FAILED : EXIT_OK;
  },
};

/** A file stands for itself, a folder for its YAML files. */
async function expandPath(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  const yamls = entries.filter((e) => e.isFile() && YAML_EXTENSIONS.has(extname(e.name))).map((e) => e.name);
  if (yamls.length === 0) throw new UsageError(`${path} holds no .yaml or .yml files`);
  return yamls.sort().map((name) => join(path, name));
}
