/** Entry point of the `hypertune` command: picks the subcommand and maps errors to exit codes. */
import { pathToFileURL } from "node:url";
import type { CliIo } from "./command.js";
import { COMMANDS } from "./commands/index.js";
import { type Program, runProgram } from "./program.js";

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

const HYPERTUNE: Program = { name: "hypertune", commands: COMMANDS, overview };

export function main(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  return runProgram(HYPERTUNE, argv, io);
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
