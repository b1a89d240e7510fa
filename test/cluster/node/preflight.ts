// Who can run a real node: checked before anything touches the host, so a
// contributor without root or the packages gets one message naming what is
// missing, never a half-started node or a stack trace.
import { accessSync, constants, existsSync } from "node:fs";
import { join } from "node:path";
import { hostLeftovers } from "./cleanup.js";
import { cniBinDir, runcPath } from "./containerd.js";
import { kubeletDefaultRoot, kubeletRootMark } from "./layout.js";

/** Debian package for each host tool the node needs. */
const hostTools: [path: string, pkg: string][] = [
  [runcPath, "runc"],
  [join(cniBinDir, "bridge"), "containernetworking-plugins"],
  [join(cniBinDir, "host-local"), "containernetworking-plugins"],
  [join(cniBinDir, "loopback"), "containernetworking-plugins"],
];
const onPath: [command: string, pkg: string][] = [
  ["iptables", "iptables"],
  ["ip", "iproute2"],
  ["mount", "mount"],
];

export class PreflightError extends Error {}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(command: string): boolean {
  return (process.env.PATH ?? "").split(":").some((dir) => dir && executable(join(dir, command)));
}

/** The problems that stop a real node from starting here, each with its fix. */
export function missingForRealNode(): string[] {
  const problems: string[] = [];
  if (process.getuid?.() !== 0) {
    problems.push(
      "root (containerd, the kubelet, iptables and mounts need it): run as root, or use `npm run test:unit`",
    );
  }
  const packages = new Set<string>();
  for (const [path, pkg] of hostTools) if (!executable(path)) packages.add(pkg);
  for (const [command, pkg] of onPath) if (!findOnPath(command)) packages.add(pkg);
  if (packages.size > 0) problems.push(`Debian packages: apt-get install ${[...packages].join(" ")}`);
  return problems;
}

/** Throws one PreflightError listing everything missing, or any leftover of an earlier node. */
export async function checkRealNodeHost(): Promise<void> {
  const missing = missingForRealNode();
  if (missing.length > 0) {
    throw new PreflightError(`a real test node cannot start here; missing:\n  - ${missing.join("\n  - ")}`);
  }
  if (existsSync(kubeletDefaultRoot) && !existsSync(kubeletRootMark)) {
    throw new PreflightError(
      `${kubeletDefaultRoot} exists and is not the test node's: this host runs a kubelet of its own, ` +
        "whose device plugins the test node would share. Run the tests on another machine.",
    );
  }
  const leftovers = await hostLeftovers();
  if (leftovers.length > 0) {
    throw new PreflightError(
      `an earlier test node left state on this host: ${leftovers.join("; ")}. ` +
        "Run `npm run cluster:down` to undo it, then start again.",
    );
  }
}
