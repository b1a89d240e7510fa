/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// (Functions passed to page.evaluate run in the page.)
/**
 * The dashboard and the report in a real browser, on data from real local
 * runs: the quickstart (a real model), a job with early stopping, and jobs of
 * two and three objectives.
 */
import { readFileSync } from "node:fs";
import { get } from "node:http";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ServedDashboard } from "../../src/dashboard/serve.js";
import { parseJsonResult, REPO, runCli, startCli, tempDir, writeTinyJob } from "../cli/helpers.js";
import { failOnPageErrors, inkOf, launchBrowser, screenshot } from "../support/browser.js";
import { serveForTest } from "./dashboard-helpers.js";

const THREE_OBJECTIVES = join(REPO, "test/browser/fixtures/three-objectives.mjs");
const CANVAS_PANELS = ["history", "parallel", "slice", "contour", "curves"];

let root: string;
let dashboard: ServedDashboard;
let browser: Browser;
let quickstart: ReturnType<typeof parseJsonResult>;
let pruned: ReturnType<typeof parseJsonResult>;
let twoObjectives: ReturnType<typeof parseJsonResult>;
let threeObjectives: ReturnType<typeof parseJsonResult>;

async function runJson(args: string[], env: Record<string, string> = {}) {
  const result = await runCli([...args, "--state-dir", root, "--output", "json"], { env });
  expect(result.code, result.stderr).toBe(0);
  return parseJsonResult(result.stdout);
}

beforeAll(async () => {
  const dir = tempDir("hypertune-dashboard-");
  root = join(dir, "state");
  const jobs = [
    runJson(["run", join(REPO, "examples/quickstart/tuningjob.yaml")]),
    runJson(
      [
        "run",
        writeTinyJob(tempDir(), {
          name: "pruned",
          maxTrials: 8,
          parallelism: 2,
          earlyStopping: { rule: "Median", minTrials: 2, startStep: 2 },
        }),
      ],
      { HT_SLEEP_MS: "800" },
    ),
    runJson(
      [
        "run",
        writeTinyJob(tempDir(), {
          name: "two-objectives",
          maxTrials: 12,
          parallelism: 3,
          objective: {
            metrics: [
              { name: "score", direction: "Maximize" },
              { name: "cost", direction: "Minimize" },
            ],
          },
        }),
      ],
      { HT_SLEEP_MS: "50" },
    ),
    runJson([
      "run",
      writeTinyJob(tempDir(), {
        name: "three-objectives",
        maxTrials: 30,
        parallelism: 2,
        parameters: [
          { name: "x", type: "Float", min: 0, max: 1 },
          { name: "y", type: "Float", min: 0, max: 1 },
        ],
        command: [process.execPath, THREE_OBJECTIVES],
        args: ["--x=${params.x}", "--y=${params.y}"],
        objective: {
          metrics: ["f1", "f2", "f3"].map((name) => ({ name, direction: "Minimize" })),
        },
      }),
    ]),
  ];
  type Result = ReturnType<typeof parseJsonResult>;
  [quickstart, pruned, twoObjectives, threeObjectives] = (await Promise.all(jobs)) as [
    Result,
    Result,
    Result,
    Result,
  ];
  [dashboard, browser] = await Promise.all([serveForTest({ stateRoot: root }), launchBrowser()]);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
});

async function openJob(name: string, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  failOnPageErrors(page, errors);
  await page.goto(`${dashboard.url}#/job/${name}`);
  await page.waitForSelector("#panel-trials [data-rows]");
  return page;
}

test("the job list shows each job's phase, progress, best value and strategy", async () => {
  const errors: string[] = [];
  const page = await browser.newPage();
  failOnPageErrors(page, errors);
  await page.goto(dashboard.url);
  const row = page.locator('tr[data-job="quickstart-digits"]');
  await row.waitFor();
  const cells = await row.locator("td").allTextContents();
  expect(cells[0]).toBe("quickstart-digits");
  expect(cells[1]).toBe("Succeeded");
  expect(cells[2]).toBe(`${quickstart.trials.length}/16`);
  expect(cells[3]).toContain(String(quickstart.bestTrial?.metrics.val_accuracy));
  expect(cells[4]).toBe(quickstart.strategy);
  expect(await page.locator("tr[data-job]").count()).toBe(4);
  await screenshot(page, "jobs");
  expect(errors).toEqual([]);
});

test("quickstart: every view draws, and the history's best so far is the engine's best", async () => {
  const errors: string[] = [];
  const page = await openJob("quickstart-digits", errors);
  for (const panel of CANVAS_PANELS) expect(await inkOf(page, panel), panel).toBeGreaterThan(500);
  const best = quickstart.bestTrial;
  expect(best).not.toBeNull();
  const caption = page.locator("#panel-history .caption");
  expect(Number(await caption.getAttribute("data-best"))).toBe(best?.metrics.val_accuracy);
  expect(await caption.textContent()).toContain(`(trial ${best?.index})`);
  // lr is the quickstart's dominant parameter (learning rate over 4 decades).
  const bars = await page
    .locator("#panel-importance li")
    .evaluateAll((items) => items.map((li) => li.getAttribute("data-parameter")));
  expect(bars.sort()).toEqual(["epochs", "hidden", "l2", "lr"]);
  expect(await page.locator("#panel-trials [data-rows]").getAttribute("data-rows")).toBe("16");
  await screenshot(page, "job-quickstart");
  expect(errors).toEqual([]);
});

test("a filter narrows the table and the plots, and a row shows the trial's log", async () => {
  const errors: string[] = [];
  const page = await openJob("quickstart-digits", errors);
  const inkBefore = await inkOf(page, "slice");
  await page.fill("input.filter", "lr<0.01 phase=Succeeded");
  const expected = quickstart.trials.filter((t) => (t.parameters.lr as number) < 0.01).length;
  await page.waitForSelector(`#panel-trials [data-rows="${expected}"]`);
  expect(expected).toBeGreaterThan(0);
  expect(expected).toBeLessThan(16);
  expect(await inkOf(page, "slice")).toBeLessThan(inkBefore);
  await page.fill("input.filter", "nosuchparam>1");
  await page.waitForSelector(".filter-row .error:has-text('no parameter or metric \"nosuchparam\"')");

  await page.fill("input.filter", "");
  await page.click('#panel-trials tr[data-trial="3"]');
  const log = page.locator("#panel-trials pre.log");
  await log.filter({ hasText: "trial 3\n" }).waitFor();
  const onDisk = readFileSync(join(root, "quickstart-digits", "trials", "3.log"), "utf8");
  expect(await log.textContent()).toContain(onDisk.trim().split("\n").at(-1));
  expect(errors).toEqual([]);
});

test("early-stopped trials are marked at the step they were judged, with the rule's reason", async () => {
  const errors: string[] = [];
  const page = await openJob("pruned", errors);
  const stopped = pruned.trials.filter((t) => t.phase === "EarlyStopped");
  expect(stopped.length).toBeGreaterThan(0);
  await expect
    .poll(() => page.locator("#panel-curves li.caption").textContent())
    .toContain(`${stopped.length} stopped early`);
  for (const trial of stopped) {
    const item = page.locator(`#panel-curves li[data-trial="${trial.index}"]`);
    expect(await item.textContent()).toContain(trial.message ?? "");
  }
  expect(await inkOf(page, "curves")).toBeGreaterThan(500);
  await screenshot(page, "job-early-stopping");
  expect(errors).toEqual([]);
});

describe("several objectives", () => {
  test("two: the Pareto front in 2-D and the hypervolume over time", async () => {
    const errors: string[] = [];
    const page = await openJob("two-objectives", errors);
    const caption = page.locator("#panel-pareto .caption");
    expect(await caption.getAttribute("data-front")).toBe(String(twoObjectives.paretoFront?.length));
    expect(await caption.textContent()).toContain(
      `hypervolume ${twoObjectives.paretoHypervolume?.toPrecision(5)}`,
    );
    expect(await inkOf(page, "pareto")).toBeGreaterThan(500);
    expect(await inkOf(page, "hypervolume")).toBeGreaterThan(500);
    expect(await page.locator("#panel-history").count()).toBe(0);
    await screenshot(page, "job-pareto-2d");
    expect(errors).toEqual([]);
  });

  test("three: the front in 3-D, turned by dragging", async () => {
    const errors: string[] = [];
    const page = await openJob("three-objectives", errors);
    expect(await page.locator("#panel-pareto .caption").getAttribute("data-front")).toBe(
      String(threeObjectives.paretoFront?.length),
    );
    const canvas = page.locator("#panel-pareto canvas");
    const before = await canvas.screenshot();
    const box = await canvas.boundingBox();
    if (!box) throw new Error("no Pareto canvas");
    await page.mouse.move(box.x + 200, box.y + 150);
    await page.mouse.down();
    await page.mouse.move(box.x + 320, box.y + 190, { steps: 5 });
    await page.mouse.up();
    expect((await canvas.screenshot()).equals(before)).toBe(false);
    await screenshot(page, "job-pareto-3d");
    expect(errors).toEqual([]);
  });
});

test("an open page follows a running job without reloading", async () => {
  const dir = tempDir("hypertune-live-");
  const file = writeTinyJob(dir, { name: "live", maxTrials: 5, parallelism: 1 });
  const run = startCli(["run", file, "--state-dir", root], { env: { HT_SLEEP_MS: "1500" } });
  try {
    await run.waitForOutput((out) => out.includes("trial 0"), 60_000);
    const errors: string[] = [];
    const page = await openJob("live", errors);
    await page.evaluate(() => {
      (globalThis as unknown as { stillHere: boolean }).stillHere = true;
    });
    const finished = () => page.locator(".summary").textContent();
    const first = await finished();
    expect(first).toContain("live: Running");
    await expect
      .poll(finished, { timeout: 60_000, interval: 250 })
      .toContain("live: Succeeded · 5/5 finished");
    expect(await page.evaluate(() => (globalThis as unknown as { stillHere?: boolean }).stillHere)).toBe(
      true,
    );
    expect(await page.evaluate(() => document.documentElement.dataset.lastDraw)).toBe("update");
    expect(errors).toEqual([]);
  } finally {
    run.child.kill("SIGINT");
    await run.result;
  }
});

test("the dashboard refuses every write and requests for another host", async () => {
  for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
    const response = await fetch(`${dashboard.url}api/jobs`, { method });
    expect(response.status, method).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD");
  }
  // fetch() may not set Host; a DNS-rebinding page's request carries the attacker's name.
  const rebinding = await new Promise<number | undefined>((done, fail) =>
    get(`${dashboard.url}api/jobs`, { headers: { Host: "attacker.example" } }, (res) => {
      res.resume();
      done(res.statusCode);
    }).on("error", fail),
  );
  expect(rebinding).toBe(403);
  expect((await fetch(`${dashboard.url}api/jobs`)).status).toBe(200);
});

test("the report is one file that renders with the network off and fetches nothing", async () => {
  const out = join(tempDir("hypertune-report-"), "report.html");
  const result = await runCli(["report", root, "--out", out]);
  expect(result.code, result.stderr).toBe(0);
  const context = await browser.newContext({ offline: true, viewport: { width: 1400, height: 1000 } });
  const requests: string[] = [];
  context.on("request", (r) => {
    if (!r.url().startsWith("file:")) requests.push(r.url());
  });
  const page = await context.newPage();
  const errors: string[] = [];
  failOnPageErrors(page, errors);
  await page.goto(`file://${out}#/job/quickstart-digits`);
  await page.waitForSelector("#panel-trials [data-rows]");
  for (const panel of CANVAS_PANELS) expect(await inkOf(page, panel), panel).toBeGreaterThan(500);
  expect(Number(await page.locator("#panel-history .caption").getAttribute("data-best"))).toBe(
    quickstart.bestTrial?.metrics.val_accuracy,
  );
  // The best trial's log travels in the report.
  await page.click(`#panel-trials tr[data-trial="${quickstart.bestTrial?.index}"]`);
  await page.locator("#panel-trials pre.log").filter({ hasText: "val_accuracy" }).waitFor();
  // The page's own policy forbids fetches, so even a script that tried could not.
  const blocked = await page.evaluate(() =>
    fetch("https://example.com/").then(
      () => false,
      () => true,
    ),
  );
  expect(blocked).toBe(true);
  expect(requests).toEqual([]);
  await screenshot(page, "report-quickstart");
  expect(
    errors.filter((e) => !e.includes("Content Security Policy") && !e.includes("Failed to fetch")),
  ).toEqual([]);
  await context.close();
});

test("report --format svg and png draw the history and the importance", async () => {
  const base = join(tempDir("hypertune-svg-"), "quickstart");
  const result = await runCli([
    "report",
    join(root, "quickstart-digits"),
    "--out",
    `${base}.svg`,
    "--format",
    "svg",
  ]);
  expect(result.code, result.stderr).toBe(0);
  const history = readFileSync(`${base}-history.svg`, "utf8");
  const importance = readFileSync(`${base}-importance.svg`, "utf8");
  expect(history).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  // One dot per finished trial with a result, and the best-so-far line.
  expect(history.match(/h0/g)?.length).toBe(quickstart.trials.filter((t) => t.phase === "Succeeded").length);
  for (const name of ["lr", "hidden", "l2", "epochs"]) expect(importance).toContain(`>${name}</text>`);

  const png = await runCli(["report", join(root, "quickstart-digits"), "--out", base, "--format", "png"]);
  expect(png.code, png.stderr).toBe(0);
  for (const name of ["history", "importance"]) {
    const bytes = readFileSync(`${base}-${name}.png`);
    expect(bytes.subarray(1, 4).toString()).toBe("PNG");
    // IHDR width: the SVG's 640 at twice the size.
    expect(bytes.readUInt32BE(16)).toBe(1280);
  }
});
