import { defineConfig } from "vitest/config";
import LastFileSequencer from "./test/cluster/last-file-sequencer.js";

// Five projects: `unit` is pure and fast (`npm run test:unit`), `cli` runs
// the hypertune command end to end, `browser` the dashboard in Chromium, `integration` runs against a real control
// plane (node agent for nodes) started by its global setup, and `node` against
// a control plane with a real node (kubelet, containerd, runc: needs root).
// CI asks for a JSON report (HYPERTUNE_TEST_REPORT) to print its own summary line.
const report = process.env.HYPERTUNE_TEST_REPORT;

export default defineConfig({
  test: {
    sequence: { sequencer: LastFileSequencer },
    // Two workers on two cores (vitest's default is one fewer than the cores): the pure and
    // CLI files run beside the integration files, which mostly wait on the control plane.
    // The integration and node projects still run their files one at a time (fileParallelism).
    maxWorkers: 2,
    ...(report && { reporters: ["default", "json"], outputFile: { json: report } }),
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "cli",
          include: ["test/cli/**/*.test.ts"],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          // Debian's Chromium, driven by playwright-core; the page is bundled first.
          globalSetup: ["test/browser/bundle-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          // Builds the pinned binaries when missing (a cold build takes long),
          // then starts one cluster for all files; they share it, one at a time.
          globalSetup: ["test/cluster/global-setup.ts"],
          setupFiles: ["test/cluster/print-logs-on-failure.ts"],
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
      {
        test: {
          name: "node",
          include: ["test/node/**/*.test.ts"],
          // The page is bundled too: a node test renders the cluster's dashboard in Chromium.
          globalSetup: ["test/cluster/node-setup.ts", "test/browser/bundle-setup.ts"],
          setupFiles: ["test/cluster/print-logs-on-failure.ts"],
          fileParallelism: false,
          testTimeout: 300_000,
          // The first run builds images too.
          hookTimeout: 900_000,
          // After the other projects: two clusters at once overload 2 cores.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
