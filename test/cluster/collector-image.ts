// The image the operator tests pass as `--collector-image`. The test cluster's
// node agent runs it as the built CLI (`node bin/hypertune.js`), so the File
// collector's sidecar (`collect --file PATH`, no command of its own) is the
// real `hypertune collect`. Needs `npm run build` first.
import { resolve } from "node:path";

export const TEST_COLLECTOR_IMAGE = "hypertune-collector:test";

export function collectorInterpreter(): Record<string, string> {
  const cli = resolve(import.meta.dirname, "..", "..", "bin", "hypertune.js");
  return { [TEST_COLLECTOR_IMAGE]: `${process.execPath} ${cli}` };
}
