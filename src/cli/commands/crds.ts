import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { renderCrds } from "../../api/crd.js";
import { type Command, EXIT_OK } from "../command.js";
import { parseFlags, UsageError } from "../parseFlags.js";

export const crdsCommand: Command = {
  name: "crds",
  summary: "print or write the CustomResourceDefinitions",
  help: `Usage: hypertune crds [--out DIR]

Prints the TuningJob and Trial CustomResourceDefinitions as one YAML stream,
ready for \`hypertune crds | kubectl apply -f -\`.

Options:
  --out DIR   write one file per CRD into DIR (created if missing) instead
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, { out: { type: "string" } });
    if (values.help) {
      io.stdout.write(this.help);
      return EXIT_OK;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const crds = renderCrds();
    const out = values.out;
    if (typeof out === "string") {
      await mkdir(out, { recursive: true });
      for (const crd of crds) {
        const path = join(out, crd.fileName);
        await writeFile(path, crd.yaml);
        io.stderr.write(`wrote ${path}\n`);
      }
      return EXIT_OK;
    }
    io.stdout.write(crds.map((c) => c.yaml).join("---\n"));
    return EXIT_OK;
  },
};
