/**
 * `kubectl hypertune …`: kubectl runs an executable named kubectl-hypertune
 * found on PATH and passes it the rest of the arguments as they are. It is
 * the hypertune CLI limited to the commands that read the cluster, so one
 * implementation serves both entry points.
 */
import type { CliIo, Command } from "./command.js";
import { describeCommand } from "./commands/describe.js";
import { getCommand } from "./commands/get.js";
import { type Program, runProgram } from "./program.js";

const NAME = "kubectl hypertune";

/** The same commands, their help naming the plugin (commands print `this.help`). */
const COMMANDS: readonly Command[] = [getCommand, describeCommand].map((c) => ({
  ...c,
  help: c.help.replace(/\bhypertune (get|describe)\b/g, `${NAME} $1`),
}));

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const list = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n");
  return `kubectl hypertune: read hypertune TuningJobs from the cluster

Usage: kubectl hypertune COMMAND [options]

Commands:
${list}

This plugin is the hypertune command itself (one implementation, two entry
points), limited to the commands that only read: \`kubectl hypertune describe X\`
and \`hypertune describe X\` print the same. It takes kubectl's -n/--namespace,
--context and --kubeconfig; the other commands (run, operator, …) are
hypertune's.

Run "kubectl hypertune help COMMAND" (or "kubectl hypertune COMMAND --help") for a command's options.
`;
}

const PLUGIN: Program = {
  name: NAME,
  commands: COMMANDS,
  overview,
  unknownHint: () =>
    `the plugin has only the read commands ${COMMANDS.map((c) => c.name).join(", ")}; the others are in the hypertune command`,
};

export function pluginMain(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  return runProgram(PLUGIN, argv, io);
}
