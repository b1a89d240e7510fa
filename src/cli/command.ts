import type { Writable } from "node:stream";

/** Where a command prints; tests pass their own streams. */
export interface CliIo {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
}

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full `--help` text. */
  help: string;
  /** Returns the exit code: 0 success, 1 failure, 2 bad usage. */
  run(args: string[], io: CliIo): Promise<number>;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
/** 128 + SIGINT, as shells report a Ctrl-C. */
export const EXIT_INTERRUPTED = 130;

/**
 * A failure the command explains in one sentence (a missing object, an
 * unreachable cluster): main prints the message without a stack and exits 1.
 */
export class CommandFailed extends Error {
  override readonly name = "CommandFailed";
}
