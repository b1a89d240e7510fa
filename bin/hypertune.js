#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through the `prepare` script).

// As a native sidecar, `hypertune collect` can be stopped by the kubelet while
// the CLI is still loading; a SIGTERM that early is remembered so the command
// still prints the metrics file before it exits, instead of dying silently.
const remember = () => {
  globalThis.hypertuneEarlySigterm = true;
};
process.once("SIGTERM", remember);
const { main } = await import("../dist/cli/main.js");
process.off("SIGTERM", remember);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
