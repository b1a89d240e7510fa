// What the KWOK tests share: the CRDs, KWOK with two simulated nodes beside
// the control plane, a namespace, and a real `hypertune operator` watching it,
// set up before the file's tests and undone after them.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { type Kwok, startKwok } from "../cluster/kwok.js";
import { ensureBuilt, OperatorProcess, printOperatorLogsOnFailure } from "../support/operator-process.js";
import { clients, createNamespace, installCrds, kubeconfigPath } from "./operator-helpers.js";

export interface KwokOperator {
  readonly namespace: string;
  readonly operator: OperatorProcess;
}

/** `prefix` names the KWOK nodes and the namespace, so two files never share either. */
export function useKwokOperator(prefix: string): KwokOperator {
  const { kc, core } = clients();
  let namespace = "";
  let kwok: Kwok | undefined;
  let operator: OperatorProcess | undefined;
  printOperatorLogsOnFailure(() => (operator ? [operator] : []));

  beforeAll(async () => {
    ensureBuilt();
    await installCrds(kc);
    const logDir = await mkdtemp(join(tmpdir(), `hypertune-${prefix}-`));
    kwok = await startKwok({ kubeconfigPath: kubeconfigPath(), logDir, nodes: 2, prefix });
    namespace = await createNamespace(core, prefix);
    operator = new OperatorProcess({
      kubeconfig: kubeconfigPath(),
      namespace,
      args: ["--log-level", "info"],
    });
    await operator.start();
  }, 120_000);

  afterAll(async () => {
    await operator?.stop();
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    await kwok?.stop();
  });

  return {
    get namespace() {
      return namespace;
    },
    get operator() {
      if (!operator) throw new Error("the KWOK operator is not started yet");
      return operator;
    },
  };
}
