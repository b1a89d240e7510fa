/** Entry point of the `hypertune` command: picks the subcommand and maps errors to exit codes. */
import { pathToFileURL } from "node:url";
import { type CliIo, EXIT_OK, EXIT_USAGE } from "./command.js";
import { COMMANDS, findCommand } from "./commands/index.js";
import { UsageError } from "./parseFlags.js";

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const list = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n");
  return `hypertune: hyperparameter tuning for training code, on this machine or on Kubernetes

Usage: hypertune COMMAND [options]

Commands:
${list}

Run "hypertune help COMMAND" (or "hypertune COMMAND --help") for a command's options.
Start with: hypertune run examples/quickstart/tuningjob.yaml
`;
}

export async function main(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h") {
    io.stdout.write(overview());
    return EXIT_OK;
  }
  if (name === "--version") return main(["version"], io);
  if (name === "help") {
    const topic = rest[0];
    if (topic === undefined) {
      io.stdout.write(overview());
      return EXIT_OK;
    }
    const command = findCommand(topic);
    if (!command) return unknownCommand(topic, io);
    io.stdout.write(command.help);
    return EXIT_OK;
  }
  const command = findCommand(name);
  if (!command) return unknownCommand(name, io);
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`hypertune ${name}: ${err.message}\nRun "hypertune help ${name}" for usage.\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}

function unknownCommand(name: string, io: CliIo): number {
  const known = COMMANDS.map((c) => c.name).join(", ");
  const hint = name.startsWith("-") ? "options come after the command" : `commands are ${known}`;
  io.stderr.write(`hypertune: unknown command "${name}" (${hint}). Run "hypertune --help".\n`);
  return EXIT_USAGE;
}

/** Runs main on this process's arguments and sets the exit code. */
export function runAsProcess(): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      process.exitCode = 1;
    },
  );
}

// Run directly (`tsx src/cli/main.ts crds …`, as the gen:crds script does), act as the command;
// imported (bin/hypertune.js, entry.ts, tests), only export.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) runAsProcess();
