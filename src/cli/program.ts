/**
 * Runs one command of a program: `hypertune` with every command, or the
 * kubectl plugin with the read commands. Both entry points share this, so a
 * command behaves, fails and prints help the same way under either name.
 */
import { type CliIo, type Command, CommandFailed, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from "./command.js";
import { UsageError } from "./parseFlags.js";

export interface Program {
  /** How a user types it: "hypertune", "kubectl hypertune". */
  name: string;
  commands: readonly Command[];
  /** The text of `--help` with no command. */
  overview(): string;
  /** Said of a name that is not one of `commands`; by default the list of them. */
  unknownHint?(name: string): string;
}

export async function runProgram(program: Program, argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  const find = (n: string) => program.commands.find((c) => c.name === n);
  if (name === undefined || name === "--help" || name === "-h") {
    io.stdout.write(program.overview());
    return EXIT_OK;
  }
  if (name === "--version" && find("version")) return runProgram(program, ["version"], io);
  if (name === "help") {
    const topic = rest[0];
    if (topic === undefined) {
      io.stdout.write(program.overview());
      return EXIT_OK;
    }
    const command = find(topic);
    if (!command) return unknownCommand(program, topic, io);
    io.stdout.write(command.help);
    return EXIT_OK;
  }
  const command = find(name);
  if (!command) return unknownCommand(program, name, io);
  try {
    if (rest.includes("--help") || rest.includes("-h")) {
      io.stdout.write(command.help);
      return EXIT_OK;
    }
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(
        `${program.name} ${name}: ${err.message}\nRun "${program.name} help ${name}" for usage.\n`,
      );
      return EXIT_USAGE;
    }
    if (err instanceof CommandFailed) {
      io.stderr.write(`${program.name} ${name}: ${err.message}\n`);
      return EXIT_FAILED;
    }
    throw err;
  }
}

function unknownCommand(program: Program, name: string, io: CliIo): number {
  const known = program.commands.map((c) => c.name).join(", ");
  const hint = name.startsWith("-")
    ? "options come after the command"
    : (program.unknownHint?.(name) ?? `commands are ${known}`);
  io.stderr.write(`${program.name}: unknown command "${name}" (${hint}). Run "${program.name} --help".\n`);
  return EXIT_USAGE;
}
