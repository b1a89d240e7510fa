/**
 * The dashboard server over a real local run, without a browser: it reads
 * every job once at start-up (so a page opened a moment later finds the view
 * built), serves repeated requests from that, and a job folder it cannot
 * read is left out of the list instead of breaking it.
 */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, test } from "vitest";
import { LocalJobSource } from "../../src/dashboard/local-source.js";
import { type DashboardServer, startDashboardServer } from "../../src/dashboard/server.js";
import { runCli, tempDir, writeTinyJob } from "./helpers.js";

let root: string;
let server: DashboardServer;
const reads: string[] = [];

beforeAll(async () => {
  root = join(tempDir("hypertune-dashboard-server-"), "state");
  const run = await runCli(["run", writeTinyJob(tempDir(), { name: "tiny" }), "--state-dir", root]);
  expect(run.code, run.stderr).toBe(0);
  // A folder whose job.json lost its spec and whose YAML is gone: unreadable.
  cpSync(join(root, "tiny"), join(root, "broken"), { recursive: true });
  const record = JSON.parse(readFileSync(join(root, "broken", "job.json"), "utf8"));
  delete record.spec;
  writeFileSync(
    join(root, "broken", "job.json"),
    JSON.stringify({ ...record, name: "broken", file: join(root, "gone.yaml") }),
  );
  const source = new LocalJobSource(root);
  const job = source.job.bind(source);
  source.job = (id) => {
    reads.push(id);
    return job(id);
  };
  server = await startDashboardServer({
    source,
    assets: { js: "", css: "" },
    address: "127.0.0.1",
    port: 0,
  });
}, 120_000);

afterAll(() => server?.close());

test("every job is read once at start-up, before any request, and not again for repeated requests", async () => {
  for (let waited = 0; reads.length < 2 && waited < 5_000; waited += 50) await sleep(50);
  expect(reads.sort()).toEqual(["broken", "tiny"]);
  for (let i = 0; i < 3; i++) {
    const response = await fetch(`${server.url}api/job?id=tiny`);
    expect(response.status).toBe(200);
    expect((await response.json()).job.finished).toBe(4);
  }
  expect(reads.filter((id) => id === "tiny")).toHaveLength(1);
});

test("a job that cannot be read is left out of the list; opening it says why", async () => {
  const list = (await (await fetch(`${server.url}api/jobs`)).json()) as { name: string }[];
  expect(list.map((j) => j.name)).toEqual(["tiny"]);
  const broken = await fetch(`${server.url}api/job?id=broken`);
  expect(broken.status).toBe(500);
  expect(await broken.text()).toContain("broken: job.json has no spec");
});
