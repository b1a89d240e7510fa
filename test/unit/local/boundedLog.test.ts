import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { LocalJobSource } from "../../../src/dashboard/local-source.js";
import { BoundedLog, rotatedLogPath } from "../../../src/local/boundedLog.js";

test("a bounded log keeps its newest output in two halves that never exceed the bound", () => {
  const path = join(mkdtempSync(join(tmpdir(), "hypertune-blog-")), "0.log");
  const log = new BoundedLog(path, 26);
  for (let i = 0; i < 10; i++) log.write(`line${i}\n`);
  log.close();
  log.write("after close\n");
  expect(readFileSync(rotatedLogPath(path), "utf8")).toBe("line6\nline7\n");
  expect(readFileSync(path, "utf8")).toBe("line8\nline9\n");
  // One chunk larger than a half keeps its end.
  const big = new BoundedLog(path, 8);
  big.write("0123456789\n");
  big.close();
  expect(readFileSync(path, "utf8")).toBe("789\n");
});

test("the dashboard's log tail reaches into the rotated half when the newest is short", async () => {
  const root = mkdtempSync(join(tmpdir(), "hypertune-blog-"));
  mkdirSync(join(root, "job", "trials"), { recursive: true });
  writeFileSync(join(root, "job", "job.json"), "{}");
  const log = join(root, "job", "trials", "0.log");
  writeFileSync(log, "newest\n");
  const source = new LocalJobSource(root);
  expect(await source.trialLog("job", 0)).toBe("newest\n");
  writeFileSync(rotatedLogPath(log), "older\n");
  expect(existsSync(rotatedLogPath(log))).toBe(true);
  expect(await source.trialLog("job", 0)).toBe("older\nnewest\n");
});
