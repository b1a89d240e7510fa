import { describe, expect, test } from "vitest";
import { explainReadError } from "../../../src/cli/cluster/apiErrors.js";

const api = { server: "https://10.0.0.1:6443", context: "prod" };
const getJob = {
  verb: "get",
  resource: "tuningjobs.hypertune.dev",
  namespace: "team-a",
  name: "quick",
  kind: "TuningJob",
} as const;
/** Shaped like client-node 1.x's ApiException: the HTTP code and the response text. */
const apiError = (code: number, status?: Record<string, unknown>) =>
  Object.assign(new Error(`HTTP-Code: ${code}`), {
    code,
    body: status ? JSON.stringify({ kind: "Status", code, ...status }) : "404 page not found",
  });

describe("reads that fail say what was asked and why", () => {
  test("a missing job names its namespace", () => {
    expect(explainReadError(apiError(404, { reason: "NotFound" }), getJob, api)).toBe(
      'TuningJob "quick" not found in namespace "team-a"',
    );
  });

  test("a 404 without a Status: the CRDs are not installed", () => {
    expect(explainReadError(apiError(404), getJob, api)).toMatch(
      /no tuningjobs.hypertune.dev resource: install the CRDs/,
    );
  });

  test("forbidden names the user, verb, resource and namespace", () => {
    const message =
      'events is forbidden: User "alice" cannot list resource "events" in API group "" in the namespace "team-a"';
    const read = { verb: "list", resource: "events", namespace: "team-a" } as const;
    expect(explainReadError(apiError(403, { reason: "Forbidden", message }), read, api)).toBe(
      'forbidden: User "alice" may not list events in namespace "team-a" (RBAC)',
    );
    const all = { verb: "list", resource: "tuningjobs.hypertune.dev" } as const;
    expect(explainReadError(apiError(403, { reason: "Forbidden" }), all, api)).toBe(
      "forbidden: the kubeconfig's user may not list tuningjobs.hypertune.dev in all namespaces (RBAC)",
    );
  });

  test("no answer at all: the cluster's address and the context", () => {
    const refused = Object.assign(
      new Error("request to https://10.0.0.1:6443/apis failed, reason: connect ECONNREFUSED 10.0.0.1:6443"),
      { code: "ECONNREFUSED" },
    );
    expect(explainReadError(refused, getJob, api)).toBe(
      'cannot reach the cluster at https://10.0.0.1:6443 (context "prod"): connect ECONNREFUSED 10.0.0.1:6443',
    );
  });

  test("bad credentials and other answers", () => {
    expect(explainReadError(apiError(401, { reason: "Unauthorized" }), getJob, api)).toMatch(
      /^unauthorized: .* context "prod"$/,
    );
    expect(explainReadError(apiError(500, { message: "etcd down" }), getJob, api)).toBe(
      'get tuningjobs.hypertune.dev in namespace "team-a": the API server answered 500: etcd down',
    );
  });
});
