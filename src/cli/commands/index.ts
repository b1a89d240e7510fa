import type { Command } from "../command.js";
import { collectCommand } from "./collect.js";
import { crdsCommand } from "./crds.js";
import { dashboardCommand } from "./dashboard.js";
import { describeCommand } from "./describe.js";
import { getCommand } from "./get.js";
import { operatorCommand } from "./operator.js";
import { renderCommand } from "./render.js";
import { reportCommand } from "./report.js";
import { runCommand } from "./run.js";
import { validateCommand } from "./validate.js";
import { versionCommand } from "./version.js";

/**
 * Every subcommand, in the order `hypertune --help` lists them. A new command
 * is a `Command` in its own file added to this list (as `operator` and
 * `collect` were); nothing else in the CLI changes.
 */
export const COMMANDS: readonly Command[] = [
  runCommand,
  validateCommand,
  renderCommand,
  dashboardCommand,
  reportCommand,
  crdsCommand,
  operatorCommand,
  getCommand,
  describeCommand,
  collectCommand,
  versionCommand,
];
