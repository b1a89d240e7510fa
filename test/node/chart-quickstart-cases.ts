// The README's "On a cluster" path as test cases, for each Kubernetes release
// the chart claims: the chart installed with helm (the operator in a pod, the
// chart's ServiceAccount, restricted Pod Security), then the quickstart's
// TuningJob with its trials in containers of the quickstart image.
// Cluster-wide mode first, then namespaced mode.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { nodeTestImages } from "../cluster/node/test-images.js";
import { type clients, conditionTrue, podsOf } from "../integration/operator-helpers.js";
import { type Json, tuningJobs, waitForPhase } from "../support/tuningjob-api.js";
import { sleep } from "../support/wait.js";
import { checkDashboards } from "./dashboard-checks.js";
import { installOperator, type Release } from "./operator-install.js";
import { restrictedNamespace } from "./pods.js";

const quickstartFile = resolve(import.meta.dirname, "..", "..", "examples", "quickstart", "tuningjob.yaml");

/** The quickstart as shipped, on the quickstart image, with smaller CPU requests for a 2-core node. */
export function quickstart(name: string, maxTrials?: number): Json {
  const job = parse(readFileSync(quickstartFile, "utf8")) as Json;
  job.metadata = { name };
  if (maxTrials) job.spec.limits.maxTrials = maxTrials;
  const container = job.spec.trialTemplate.job.template.spec.containers[0];
  container.image = nodeTestImages.quickstart;
  container.resources.requests.cpu = "200m";
  return job;
}

/** `connect` is called once the cluster is up (a file may start its own in beforeAll). */
export function chartQuickstartCases(
  connect: () => ReturnType<typeof clients>,
  /** `values`: extra helm flags for both installs (e.g. what an older release lacks). */
  opts: { maxTrials?: number; values?: string[]; dashboard?: boolean } = {},
) {
  const namespaces: string[] = [];
  // Every release installed, so a failed case's cluster-wide objects are removed too.
  const releases: Release[] = [];
  const install = async (...args: Parameters<typeof installOperator>) => {
    const release = await installOperator(...args);
    releases.push(release);
    return release;
  };

  afterAll(async () => {
    const { core } = connect();
    for (const release of releases.splice(0)) await release.uninstall();
    for (const name of namespaces) await core.deleteNamespace({ name }).catch(() => undefined);
  });

  async function namespace(prefix: string) {
    const name = await restrictedNamespace(connect().core, prefix);
    namespaces.push(name);
    return name;
  }

  describe("cluster-wide install", () => {
    it("runs the quickstart to Complete, every trial in a container of the quickstart image", async () => {
      const { core, custom } = connect();
      const system = await namespace("ht-sys");
      const team = await namespace("ht-qs");
      const other = opts.dashboard ? await namespace("ht-other") : "";
      const dashboardValues = opts.dashboard ? ["--set", "dashboard.enabled=true"] : [];
      const release = await install(core, "ht", system, [...(opts.values ?? []), ...dashboardValues]);
      const api = tuningJobs(custom, team);
      const spec = quickstart("quickstart-digits", opts.maxTrials);
      await api.create(spec);
      // A job elsewhere that runs nothing, for the dashboard's namespace checks.
      if (opts.dashboard)
        await tuningJobs(custom, other).create({
          ...quickstart("suspended", 2),
          spec: { ...quickstart("suspended", 2).spec, suspend: true },
        });
      const done = await waitForPhase(api, "quickstart-digits", "Complete", 600_000);
      const trials = await api.trials("quickstart-digits");
      expect(trials).toHaveLength(spec.spec.limits.maxTrials);
      expect(trials.filter((t) => t.status?.phase === "Succeeded")).toHaveLength(trials.length);
      expect(done.status.bestTrial.metrics.val_accuracy).toBeGreaterThan(0.9);
      expect(conditionTrue(done, "Ready")).toBe(true);
      const pods = await podsOf(core, team, "quickstart-digits");
      expect(pods.length).toBeGreaterThanOrEqual(1);
      for (const pod of pods) {
        const status = pod.status?.containerStatuses?.find((c) => c.name === "train");
        expect(status?.containerID).toMatch(/^containerd:\/\//);
        expect(status?.image).toContain(nodeTestImages.quickstart);
      }
      if (opts.dashboard) await checkDashboards({ kc: connect().kc, core, release, team, done, other });
      await release.uninstall();
    });
  });

  describe("namespaced install", () => {
    it("runs TuningJobs in the watched namespace and leaves the others alone", async () => {
      const { core, custom } = connect();
      const system = await namespace("ht-sys");
      const watched = await namespace("ht-w");
      const other = await namespace("ht-o");
      await install(core, "htns", system, ["--set", `watchNamespaces={${watched}}`, ...(opts.values ?? [])]);
      await tuningJobs(custom, other).create(quickstart("ignored", 2));
      const api = tuningJobs(custom, watched);
      await api.create(quickstart("watched", 3));
      const done = await waitForPhase(api, "watched", "Complete", 300_000);
      expect(done.status.trials.succeeded).toBe(3);
      expect(await api.trials("watched")).toHaveLength(3);
      await sleep(2000);
      const ignored = await tuningJobs(custom, other).get("ignored");
      expect(ignored.status).toBeUndefined();
      expect(await podsOf(core, other, "ignored")).toEqual([]);
    });
  });
}
