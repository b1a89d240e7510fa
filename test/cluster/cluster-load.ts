// `npm run cluster:load -- --kubeconfig PATH IMAGE...`: puts local Docker
// images on the running real node, as `kind load docker-image` does.

import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { withHarnessDocker } from "./build.js";
import { recordedBinDir } from "./node/cleanup.js";
import { loadImages } from "./node/containerd.js";
import { readState } from "./state.js";

const { values, positionals } = parseArgs({
  options: { kubeconfig: { type: "string" } },
  allowPositionals: true,
});
const state = readState();
if (!values.kubeconfig || positionals.length === 0) {
  console.error("usage: npm run cluster:load -- --kubeconfig PATH IMAGE...");
  process.exit(2);
}
if (!state || state.kubeconfigPath !== resolve(values.kubeconfig)) {
  console.error(`no running test cluster has kubeconfig ${resolve(values.kubeconfig)}`);
  process.exit(1);
}
const binDir = recordedBinDir();
const started = Date.now();
// DOCKER_HOST: the user's own Docker; otherwise the harness's, started for this.
await (process.env.DOCKER_HOST
  ? loadImages(binDir, positionals)
  : withHarnessDocker(() => loadImages(binDir, positionals)));
console.error(`loaded ${positionals.join(", ")} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
