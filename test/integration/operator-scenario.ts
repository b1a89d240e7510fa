// One namespace and one `hypertune operator` process per test: useScenarios()
// in a test file builds the CLI and installs the CRDs once, prints every
// operator's log when a test fails, and stops operators and deletes namespaces
// after the file.
import { afterAll, beforeAll } from "vitest";
import { ensureBuilt, OperatorProcess, printOperatorLogsOnFailure } from "../support/operator-process.js";
import { tuningJobs } from "../support/tuningjob-api.js";
import { clients, createNamespace, installCrds, kubeconfigPath } from "./operator-helpers.js";

export interface Scenario {
  namespace: string;
  operator: OperatorProcess;
  api: ReturnType<typeof tuningJobs>;
  /** Another operator on the same namespace (leader election). */
  addOperator(label: string, args?: string[]): OperatorProcess;
}

export function useScenarios() {
  const cluster = clients();
  const operators: OperatorProcess[] = [];
  const namespaces: string[] = [];
  printOperatorLogsOnFailure(() => operators);

  beforeAll(async () => {
    ensureBuilt();
    await installCrds(cluster.kc);
  });

  afterAll(async () => {
    await Promise.all(operators.map((op) => op.stop()));
    await Promise.all(
      namespaces.map((name) => cluster.core.deleteNamespace({ name }).catch(() => undefined)),
    );
  });

  /** A fresh namespace with an operator watching it; `start: false` leaves the operator unstarted. */
  async function scenario(
    prefix: string,
    opts: { args?: string[]; start?: boolean } = {},
  ): Promise<Scenario> {
    const namespace = await createNamespace(cluster.core, prefix);
    namespaces.push(namespace);
    const addOperator = (label: string, args = opts.args) => {
      const op = new OperatorProcess({
        kubeconfig: kubeconfigPath(),
        namespace,
        label,
        ...(args && { args }),
      });
      operators.push(op);
      return op;
    };
    const operator = addOperator(`operator ${namespace}`);
    if (opts.start !== false) await operator.start();
    return { namespace, operator, api: tuningJobs(cluster.custom, namespace), addOperator };
  }

  return { ...cluster, scenario };
}
