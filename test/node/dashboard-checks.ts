/// <reference lib="dom" />
// (Functions passed to page.evaluate run in the page.)
/**
 * The dashboard on the real node's cluster, after the chart's quickstart
 * finished: the chart's own in-cluster dashboard (its pod, its read-only
 * ServiceAccount) reached through the API server's service proxy, and
 * `hypertune dashboard` on this machine in a real browser, with the admin's
 * credentials and with a ServiceAccount that may read one namespace only.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type CoreV1Api, type KubeConfig, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { expect } from "vitest";
import type { JobListItem, JobView } from "../../src/dashboard/view.js";
import { serveForTest } from "../browser/dashboard-helpers.js";
import { serviceAccountKubeconfig } from "../integration/chart-helpers.js";
import { inkOf, launchBrowser, screenshot } from "../support/browser.js";
import type { Json } from "../support/tuningjob-api.js";
import { waitFor } from "../support/wait.js";

export interface DashboardCheck {
  kc: KubeConfig;
  core: CoreV1Api;
  release: { name: string; namespace: string; home: string };
  /** The namespace of the finished quickstart job, and the job as the operator left it. */
  team: string;
  done: Json;
  /** A second namespace holding a (suspended) job the limited account must not see. */
  other: string;
}

export async function checkDashboards(c: DashboardCheck): Promise<void> {
  const name = c.done.metadata.name as string;
  const best = c.done.status.bestTrial.metrics.val_accuracy as number;

  // The chart's dashboard, in its pod, with the chart's read-only RBAC.
  const service = `${c.release.name}-hypertune-dashboard:http`;
  // client-node hands back the proxied body parsed when it is JSON.
  const viaProxy = async (path: string): Promise<unknown> => {
    const body: unknown = await c.core.connectGetNamespacedServiceProxyWithPath({
      name: service,
      namespace: c.release.namespace,
      path,
    });
    return typeof body === "string" ? JSON.parse(body) : body;
  };
  const inCluster = await waitFor(
    "the in-cluster dashboard listing the quickstart",
    async () => {
      const jobs = (await viaProxy("api/jobs")) as JobListItem[];
      return jobs.some((j) => j.id === `${c.team}/${name}`) && jobs;
    },
    120_000,
    1000,
  );
  expect(inCluster.find((j) => j.id === `${c.team}/${name}`)).toMatchObject({
    phase: "Complete",
    bestValue: best,
  });
  expect(inCluster.some((j) => j.namespace === c.other)).toBe(true);

  // This machine's dashboard with the admin's credentials, in a browser.
  const kubeconfig = join(c.release.home, "admin-kubeconfig");
  writeFileSync(kubeconfig, c.kc.exportConfig(), { mode: 0o600 });
  const admin = await serveForTest({ kubeconfig });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(admin.url);
    await page.locator(`tr[data-job="${c.team}/${name}"]`).waitFor();
    expect(await page.locator(`tr[data-job="${c.other}/suspended"]`).count()).toBe(1);
    await page.goto(`${admin.url}#/job/${encodeURIComponent(`${c.team}/${name}`)}`);
    await page.waitForSelector("#panel-trials [data-rows]");
    for (const panel of ["history", "parallel", "slice", "contour", "curves"])
      expect(await inkOf(page, panel), panel).toBeGreaterThan(500);
    expect(Number(await page.locator("#panel-history .caption").getAttribute("data-best"))).toBe(best);
    // A trial's log comes from pods/log of its pod.
    const index = c.done.status.bestTrial.index as number;
    await page.click(`#panel-trials tr[data-trial="${index}"]`);
    await page
      .locator("#panel-trials pre.log")
      .filter({ hasText: "val_accuracy" })
      .waitFor({ timeout: 30_000 });
    await screenshot(page, "cluster-job-quickstart");
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
    await admin.close();
  }

  // A ServiceAccount that may read TuningJobs and Trials in the team's namespace only.
  const rbac = c.kc.makeApiClient(RbacAuthorizationV1Api);
  const viewer = "dashboard-viewer";
  await c.core.createNamespacedServiceAccount({ namespace: c.team, body: { metadata: { name: viewer } } });
  await rbac.createNamespacedRole({
    namespace: c.team,
    body: {
      metadata: { name: viewer },
      rules: [
        {
          apiGroups: ["hypertune.dev"],
          resources: ["tuningjobs", "trials"],
          verbs: ["get", "list", "watch"],
        },
        { apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] },
        { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
      ],
    },
  });
  await rbac.createNamespacedRoleBinding({
    namespace: c.team,
    body: {
      metadata: { name: viewer },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: viewer },
      subjects: [{ kind: "ServiceAccount", name: viewer, namespace: c.team }],
    },
  });
  const limitedPath = join(c.release.home, "viewer-kubeconfig");
  await serviceAccountKubeconfig(c.core, c.kc, c.team, viewer, limitedPath);
  // Its context names no namespace: cluster-wide listing is refused, so -n says which one.
  await expect(serveForTest({ kubeconfig: limitedPath })).rejects.toThrow(
    /may not list tuningjobs in namespace default/,
  );
  await expect(serveForTest({ kubeconfig: limitedPath, namespace: c.other })).rejects.toThrow(
    new RegExp(`may not list tuningjobs in namespace ${c.other}`),
  );
  const limited = await serveForTest({ kubeconfig: limitedPath, namespace: c.team });
  try {
    const jobs = (await (await fetch(`${limited.url}api/jobs`)).json()) as JobListItem[];
    expect(jobs.map((j) => j.id)).toEqual([`${c.team}/${name}`]);
    const view = (await (await fetch(`${limited.url}api/job?id=${c.team}/${name}`)).json()) as JobView;
    expect(view.trials.index).toHaveLength(c.done.status.trials.created);
    expect((await fetch(`${limited.url}api/job?id=${c.other}/suspended`)).status).toBe(404);
  } finally {
    await limited.close();
  }
}
