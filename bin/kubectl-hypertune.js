#!/usr/bin/env node
// kubectl plugin launcher: `kubectl hypertune get|describe …` runs this file (kubectl
// finds kubectl-* executables on PATH). The compiled CLI lives in dist/, as for bin/hypertune.js.
const { pluginMain } = await import("../dist/cli/kubectlPlugin.js");

pluginMain(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
