/**
 * The in-process benchmark tables, one after another (`npm run bench` runs
 * this, then `bench:search` and `bench:operator`, which have their own setup).
 */
import { runGpBench } from "./gp.bench.js";
import { runLocalBench } from "./local.bench.js";
import { runSuggestBench } from "./suggest.bench.js";
import { runTpeBench } from "./tpe.bench.js";

const TABLES: [string, () => string | Promise<string>][] = [
  ["suggest", runSuggestBench],
  ["tpe", runTpeBench],
  ["gp", runGpBench],
  ["local", runLocalBench],
];

for (const [name, run] of TABLES) {
  process.stderr.write(`[bench] ${name}…\n`);
  console.log(`${(await run()).trimEnd()}\n`);
}
