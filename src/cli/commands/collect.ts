import { once } from "node:events";
import { tailFile } from "../../collector/file-tail.js";
import { type Command, EXIT_OK } from "../command.js";
import { parseFlags, positiveInteger, UsageError } from "../parseFlags.js";

const DEFAULT_POLL_MS = 250;

export const collectCommand: Command = {
  name: "collect",
  summary: "print a metrics file as it grows (the File collector's sidecar)",
  help: `Usage: hypertune collect --file PATH [--poll-ms N]

Waits for PATH to appear, then prints every line written to it on stdout, as
it comes, so that the operator reads the trial's metrics from this container's
log. A file that is truncated or replaced (rotated) is read again from its
start. On SIGTERM it prints what is left, including a last line without a line
break, and exits 0: as the native sidecar of a trial's pod it is stopped by the
kubelet once the training container has ended.

Lines longer than 64 KiB are not printed (a cut line could be misread as a
different value); a note goes to stderr instead.

Options:
  --file PATH     the file the training code writes metric lines to
  --poll-ms N     how often to look for new data, in milliseconds (default ${DEFAULT_POLL_MS})
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, {
      file: { type: "string" },
      "poll-ms": { type: "string" },
    });
    if (values.help) {
      io.stdout.write(this.help);
      return EXIT_OK;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const path = values.file;
    if (!path) throw new UsageError("--file PATH is required");
    const pollMs = positiveInteger("--poll-ms", values["poll-ms"], 10) ?? DEFAULT_POLL_MS;

    const stop = new AbortController();
    const onSignal = () => stop.abort();
    // bin/hypertune.js remembers a SIGTERM that came while the CLI was loading.
    if ((globalThis as { hypertuneEarlySigterm?: boolean }).hypertuneEarlySigterm) stop.abort();
    process.once("SIGTERM", onSignal);
    process.once("SIGINT", onSignal);
    try {
      await tailFile({
        path,
        pollMs,
        signal: stop.signal,
        // On stderr, so the operator (which reads this log for metrics) is not confused by it.
        onWaiting: () => io.stderr.write(`hypertune collect: waiting for ${path} to appear\n`),
        onLines: async (lines) => {
          let text = "";
          for (const line of lines) {
            if (line.truncated) {
              io.stderr.write(`hypertune collect: skipped a line of ${path} longer than 64 KiB\n`);
            } else {
              text += `${line.text}\n`;
            }
          }
          // Wait for a slow reader rather than buffer without bound.
          if (text !== "" && !io.stdout.write(text)) await once(io.stdout, "drain");
        },
      });
    } finally {
      process.off("SIGTERM", onSignal);
      process.off("SIGINT", onSignal);
    }
    return EXIT_OK;
  },
};
