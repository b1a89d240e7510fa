/** Runs the CLI from source (`node --import tsx src/cli/entry.ts …`); the installed command uses bin/hypertune.js. */
import { runAsProcess } from "./main.js";

runAsProcess();
