// setupFiles entry of the `integration` project: a failing test names the
// folder with the cluster's component logs.
import { beforeEach, inject } from "vitest";

beforeEach((context) => {
  context.onTestFailed(() => {
    console.error(`test cluster logs: ${inject("clusterLogDir")}`);
  });
});
