// CLI for the node agent: `tsx test/cluster/node-agent-main.ts --kubeconfig P
// [--nodes N] [--gpus N] [--work-dir D] [--log-dir D] [--interpreter IMAGE=EXE]…`.
// Prints `ready <node names>` on stdout once the Nodes are Ready; diagnostics go
// to stderr. SIGTERM or SIGINT stop it cleanly (pod processes are killed).
import { parseArgs } from "node:util";
import { startNodeAgent } from "./node-agent.js";

const { values } = parseArgs({
  options: {
    kubeconfig: { type: "string" },
    nodes: { type: "string" },
    gpus: { type: "string" },
    cpu: { type: "string" },
    memory: { type: "string" },
    pods: { type: "string" },
    "work-dir": { type: "string" },
    "log-dir": { type: "string" },
    "state-dir": { type: "string" },
    "name-prefix": { type: "string" },
    interpreter: { type: "string", multiple: true },
  },
  strict: true,
});

function count(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${flag} wants a non-negative integer, got ${raw}`);
  return n;
}

async function main(): Promise<void> {
  if (!values.kubeconfig) throw new Error("--kubeconfig is required");
  const interpreters: Record<string, string> = {};
  for (const pair of values.interpreter ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new Error(`--interpreter wants IMAGE=EXECUTABLE, got ${pair}`);
    interpreters[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const nodes = count("nodes", values.nodes);
  const gpus = count("gpus", values.gpus);
  const pods = count("pods", values.pods);
  const agent = await startNodeAgent({
    kubeconfigPath: values.kubeconfig,
    ...(nodes !== undefined ? { nodes } : {}),
    ...(gpus !== undefined ? { gpusPerNode: gpus } : {}),
    ...(pods !== undefined ? { pods } : {}),
    ...(values.cpu ? { cpu: values.cpu } : {}),
    ...(values.memory ? { memory: values.memory } : {}),
    ...(values["work-dir"] ? { workDir: values["work-dir"] } : {}),
    ...(values["log-dir"] ? { logDir: values["log-dir"] } : {}),
    ...(values["state-dir"] ? { stateDir: values["state-dir"] } : {}),
    ...(values["name-prefix"] ? { namePrefix: values["name-prefix"] } : {}),
    interpreters,
  });
  process.stdout.write(`ready ${agent.nodeNames.join(" ")}\n`);

  let stopping = false;
  const shutdown = (why: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`[node-agent] stopping (${why})\n`);
    agent.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`[node-agent] stop failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  // Orphaned (the parent died without signalling): do not leave pod processes behind.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) shutdown("parent exited");
  }, 1000).unref();
}

main().catch((err: unknown) => {
  process.stderr.write(`[node-agent] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
