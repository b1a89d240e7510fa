// Free loopback ports for the control plane's listeners.
import { createServer } from "node:net";

// Below Linux's ephemeral range (32768+), so an outgoing connection cannot grab
// a port between our check and the component's bind.
const LOW = 20000;
const HIGH = 32000;

// Ports handed out by this process: two control planes started side by side
// must not get the same port before either has bound it.
const handedOut = new Set<number>();

export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function* randomCandidates(): Generator<number> {
  for (;;) yield LOW + Math.floor(Math.random() * (HIGH - LOW));
}

export interface AllocateOptions {
  /** Ports to try, in order; random ones in [20000, 32000) when left out. */
  candidates?: Iterable<number>;
  /** Called for each candidate skipped because something already listens on it. */
  onTaken?: (port: number) => void;
}

/** `count` distinct ports that were free a moment ago. */
export async function allocatePorts(count: number, options: AllocateOptions = {}): Promise<number[]> {
  const ports: number[] = [];
  let tries = 0;
  for (const port of options.candidates ?? randomCandidates()) {
    if (ports.length === count) break;
    if (++tries > 1000) break;
    if (handedOut.has(port)) continue;
    if (await isPortFree(port)) {
      handedOut.add(port);
      ports.push(port);
    } else {
      options.onTaken?.(port);
    }
  }
  if (ports.length < count) throw new Error(`found only ${ports.length} of ${count} free loopback ports`);
  return ports;
}

/** Lets a port be handed out again, once whatever used it has stopped. */
export function releasePorts(ports: Iterable<number>): void {
  for (const port of ports) handedOut.delete(port);
}
