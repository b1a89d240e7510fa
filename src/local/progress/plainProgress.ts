/** Progress as plain lines, for logs and pipes: one line per event, nothing redrawn. */
import type { Writable } from "node:stream";
import type { RunReporter } from "../reporter.js";
import { beginLines, finishedLine, preemptedLine, startedLine, suspendedLine } from "./trialLines.js";

export function plainProgress(out: Writable): RunReporter {
  let objectiveName = "";
  const print = (line: string) => out.write(`${line}\n`);
  return {
    begin: (info) => {
      objectiveName = info.objectiveName;
      for (const line of beginLines(info)) print(line);
    },
    trialStarted: (trial, context) => print(startedLine(trial, context)),
    trialPreempted: (trial, context) => print(preemptedLine(trial, context)),
    trialFinished: (trial, context) => print(finishedLine(trial, context, objectiveName)),
    suspended: (context) => print(suspendedLine(context)),
    interrupting: ({ running, force }) =>
      print(
        force
          ? `killing ${running} running trial(s)`
          : `stopping ${running} running trial(s)… (press Ctrl-C again to kill them at once)`,
      ),
  };
}
