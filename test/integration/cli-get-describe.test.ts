// `hypertune get` and `hypertune describe` against the real control plane:
// TuningJobs run by a real `hypertune operator` process (trials on the node
// agent), then read back in-process through main() as a user would, and once
// through kubectl's plugin mechanism (kubectl-hypertune on PATH). Also the
// failures a user meets: a missing job, RBAC that forbids a read.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { KubeConfig, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatNumber } from "../../src/local/progress/format.js";
import { runMain } from "../cli/helpers.js";
import { defaultBinDir } from "../cluster/binaries.js";
import { ensureBuilt, OperatorProcess, printOperatorLogsOnFailure } from "../support/operator-process.js";
import { type Json, tuningJobs, waitForPhase } from "../support/tuningjob-api.js";
import { eventually } from "./kube-helpers.js";
import { clients, createNamespace, installCrds, kubeconfigPath, nodeTuningJob } from "./operator-helpers.js";

const run = promisify(execFile);
const { kc, core, custom } = clients();
let namespace = "";
let operator: OperatorProcess;
let scratch = "";
printOperatorLogsOnFailure(() => (operator ? [operator] : []));

beforeAll(async () => {
  ensureBuilt();
  await installCrds(kc);
  namespace = await createNamespace(core, "cli-read");
  scratch = mkdtempSync(join(tmpdir(), "hypertune-cli-read-"));
  operator = new OperatorProcess({ kubeconfig: kubeconfigPath(), namespace });
  await operator.start();
});

afterAll(async () => {
  await operator?.stop();
  await core.deleteNamespace({ name: namespace }).catch(() => undefined);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** The CLI in this process, its output captured. */
async function hypertune(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runMain(args);
  // HYPERTUNE_TEST_LOG=1 shows what a user would see (the README's example comes from here).
  if (process.env.HYPERTUNE_TEST_LOG)
    process.stderr.write(`$ hypertune ${args.join(" ")}\n${stdout}${stderr}\n`);
  return { code, stdout, stderr };
}

const inCluster = () => ["--kubeconfig", kubeconfigPath(), "-n", namespace];

/** Describe until the operator's Completed event has been written (events are recorded after the status). */
async function describeWhenCompleted(name: string): Promise<string> {
  return eventually(
    `the Completed event of ${name}`,
    async () => {
      const { code, stdout } = await hypertune("describe", name, ...inCluster());
      return code === 0 && /Normal\s+Completed/.test(stdout) ? stdout : undefined;
    },
    30_000,
  );
}

describe("hypertune get and describe on a job the operator ran", () => {
  it("one objective: the table row, and describe's state, best trial, top trials and events", async () => {
    const api = tuningJobs(custom, namespace);
    const job = nodeTuningJob("quick", {
      search: { strategy: "Auto", seed: 3 },
      limits: { maxTrials: 4, parallelism: 2 },
    });
    await api.create(job);
    const done = await waitForPhase(api, "quick", "Complete", 180_000);
    const best = done.status.bestTrial;
    const chosen: string = done.status.strategy;
    expect(chosen).not.toBe("Auto");

    const listed = await hypertune("get", ...inCluster());
    expect(listed.code).toBe(0);
    const [header, row, ...rest] = listed.stdout.trimEnd().split("\n");
    expect(header?.split(/\s+/)).toEqual(["NAME", "PHASE", "TRIALS", "BEST", "STRATEGY", "AGE"]);
    expect(row?.split(/\s+/).slice(0, 5)).toEqual([
      "quick",
      "Complete",
      "4/4",
      `accuracy=${formatNumber(best.objectiveValue)}`,
      `Auto→${chosen}`,
    ]);
    expect(rest).toEqual([]);

    const json = await hypertune("get", "quick", "-o", "json", ...inCluster());
    expect(JSON.parse(json.stdout)).toMatchObject({
      namespace,
      name: "quick",
      phase: "Complete",
      finished: 4,
      maxTrials: 4,
      best: { trial: best.name, index: best.index, metric: "accuracy", value: best.objectiveValue },
      requestedStrategy: "Auto",
      strategy: chosen,
    });

    const text = await describeWhenCompleted("quick");
    expect(text).toMatch(/^Name:\s+quick$/m);
    expect(text).toMatch(new RegExp(`^Namespace:\\s+${namespace}$`, "m"));
    expect(text).toMatch(/^Phase:\s+Complete$/m);
    expect(text).toMatch(/^Reason:\s+MaxTrialsReached$/m);
    expect(text).toMatch(new RegExp(`^Strategy:\\s+Auto → ${chosen} \\(seed 3\\)$`, "m"));
    expect(text).toMatch(/^Trials:\s+4\/4 finished \(4 succeeded\)$/m);
    expect(text).toContain(`\nbest: trial ${best.index} accuracy=${formatNumber(best.objectiveValue)} {x: `);
    const trials = await api.trials("quick");
    const rows = text.split("\n").filter((l) => /^\s+\d+\s+[\d.e-]+\s+Succeeded\s/.test(l));
    expect(rows.map((r) => Number(r.trim().split(/\s+/)[0]))).toEqual(
      [...trials]
        .sort((a, b) => b.status.objectiveValue - a.status.objectiveValue || a.spec.index - b.spec.index)
        .map((t) => t.spec.index),
    );
    // The job's own events, oldest first: it started, then completed.
    const events = text.slice(text.indexOf("\nEvents:\n"));
    expect(events).toMatch(/Type\s+Reason\s+Age\s+From\s+Message/);
    expect(events).toMatch(/Normal\s+Started\s+.+\s+hypertune-operator\s/);
    expect(events.indexOf("Started")).toBeLessThan(events.indexOf("Completed"));
  });

  it("several objectives: get shows the front's size, describe the Pareto front with its hypervolume", async () => {
    const api = tuningJobs(custom, namespace);
    // cost grows with accuracy: every trial trades one for the other, so all are on the front.
    const script = "const x = Number(process.argv[1]); console.log('accuracy=' + x + ' cost=' + x * x);";
    const job = nodeTuningJob(
      "tradeoff",
      {
        objective: {
          metrics: [
            { name: "accuracy", direction: "Maximize" },
            { name: "cost", direction: "Minimize" },
          ],
        },
        search: { strategy: "Random", seed: 5 },
        limits: { maxTrials: 3, parallelism: 3 },
      },
      script,
    );
    await api.create(job);
    const done = await waitForPhase(api, "tradeoff", "Complete", 180_000);
    const front: Json[] = done.status.paretoFront;
    expect(front).toHaveLength(3);

    const listed = await hypertune("get", "tradeoff", ...inCluster());
    expect(listed.stdout).toContain(`front=3 hv=${formatNumber(done.status.paretoHypervolume)}`);

    const text = await describeWhenCompleted("tradeoff");
    expect(text).toMatch(/^Objectives:\s+accuracy \(Maximize\), cost \(Minimize\)$/m);
    expect(text).toContain(
      `Pareto front (accuracy Maximize, cost Minimize): 3 non-dominated trial(s), hypervolume ${formatNumber(done.status.paretoHypervolume)}`,
    );
    expect(text).toMatch(/trial\s+accuracy \(Maximize\)\s+cost \(Minimize\)\s+x/);
    expect(text).not.toContain("best: trial");
  });
});

describe("hypertune get and describe when the read fails", () => {
  it("a missing job exits 1 naming it and its namespace", async () => {
    const missing = await hypertune("describe", "nope", ...inCluster());
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      `hypertune describe: TuningJob "nope" not found in namespace "${namespace}"\n`,
    );
    const got = await hypertune("get", "nope", ...inCluster());
    expect(got.code).toBe(1);
    expect(got.stderr).toContain(`TuningJob "nope" not found in namespace "${namespace}"`);
  });

  it("RBAC: --context picks a user who may read TuningJobs only; what is forbidden is named", async () => {
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace,
      body: {
        metadata: { name: "tuningjob-reader" },
        rules: [{ apiGroups: ["hypertune.dev"], resources: ["tuningjobs"], verbs: ["get", "list"] }],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name: "alice-reads-tuningjobs" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "tuningjob-reader" },
        subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "alice" }],
      },
    });
    const kubeconfig = kubeconfigWithAlice();

    const own = await hypertune("get", "--kubeconfig", kubeconfig, "--context", "alice", "-n", namespace);
    expect(own.code).toBe(0);
    expect(own.stdout).toMatch(/^quick\s+Complete\s/m);

    const described = await hypertune(
      "describe",
      "quick",
      "--kubeconfig",
      kubeconfig,
      "--context",
      "alice",
      "-n",
      namespace,
    );
    expect(described.code).toBe(0);
    expect(described.stdout).toMatch(/^best: trial \d+ accuracy=/m);
    expect(described.stdout).toContain(
      `Top trials not shown: forbidden: User "alice" may not list trials.hypertune.dev in namespace "${namespace}" (RBAC)`,
    );
    expect(described.stdout).toContain(
      `Events:  not shown: forbidden: User "alice" may not list events in namespace "${namespace}" (RBAC)`,
    );

    const everywhere = await hypertune("get", "-A", "--kubeconfig", kubeconfig, "--context", "alice");
    expect(everywhere.code).toBe(1);
    expect(everywhere.stderr).toBe(
      'hypertune get: forbidden: User "alice" may not list tuningjobs.hypertune.dev in all namespaces (RBAC)\n',
    );
  });
});

describe("kubectl hypertune", () => {
  it("kubectl finds kubectl-hypertune on PATH and passes it the arguments: the same table", async () => {
    const bin = join(scratch, "plugins");
    mkdirSync(bin, { recursive: true });
    symlinkSync(
      resolve(import.meta.dirname, "..", "..", "bin", "kubectl-hypertune.js"),
      join(bin, "kubectl-hypertune"),
    );
    const env = { ...process.env, PATH: [bin, dirname(process.execPath), process.env.PATH].join(":") };
    const kubectl = join(defaultBinDir(), "kubectl");
    const { stdout } = await run(kubectl, ["hypertune", "get", ...inCluster()], { env });
    const own = await hypertune("get", ...inCluster());
    // AGE may tick between the two calls; every other cell is the same.
    const cells = (text: string) => text.split("\n").map((l) => l.split(/\s+/).slice(0, 5));
    expect(cells(stdout)).toEqual(cells(own.stdout));

    const refused = await run(kubectl, ["hypertune", "run", "job.yaml"], { env }).catch((err) => err);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("only the read commands get, describe");
  });
});

/** The test cluster's kubeconfig plus a context "alice" whose requests impersonate the user alice. */
function kubeconfigWithAlice(): string {
  const admin = new KubeConfig();
  admin.loadFromFile(kubeconfigPath());
  const user = admin.getCurrentUser();
  const cluster = admin.getCurrentCluster();
  if (!user || !cluster) throw new Error("the test kubeconfig has no current user or cluster");
  const withAlice = new KubeConfig();
  withAlice.loadFromOptions({
    clusters: admin.getClusters(),
    users: [...admin.getUsers(), { ...user, name: "alice", impersonateUser: "alice" }],
    contexts: [...admin.getContexts(), { name: "alice", cluster: cluster.name, user: "alice" }],
    currentContext: admin.getCurrentContext(),
  });
  const path = join(scratch, "alice.kubeconfig");
  writeFileSync(path, withAlice.exportConfig());
  return path;
}
