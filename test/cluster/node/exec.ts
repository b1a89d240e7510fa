// Host commands (ip, iptables, mount…) for the real node: argv only, never a shell.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** Runs a command; throws with its stderr when it fails. */
export async function sh(command: string, args: string[], input?: string): Promise<string> {
  try {
    const child = execFileAsync(command, args, { maxBuffer: 64 << 20 });
    if (input !== undefined) {
      child.child.stdin?.end(input);
    }
    return (await child).stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`${command} ${args.join(" ")} failed${stderr ? `: ${stderr}` : ""}`, { cause: error });
  }
}

/** As sh(), but a failure is expected (the thing may not exist): returns whether it succeeded. */
export async function trySh(command: string, args: string[]): Promise<boolean> {
  try {
    await execFileAsync(command, args);
    return true;
  } catch {
    return false;
  }
}
