import { ApiException } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import {
  isAlreadyExists,
  isConflict,
  isGone,
  isNotFound,
  isTerminal,
  reasonOf,
  statusCodeOf,
} from "../../../src/kube/index.js";

const status = (code: number, reason: string) => ({
  kind: "Status",
  apiVersion: "v1",
  status: "Failure",
  code,
  reason,
});
/** As the typed APIs of client-node 1.x throw it: body is the response text. */
const apiException = (code: number, reason: string) =>
  new ApiException(code, "Unknown API Status Code!", JSON.stringify(status(code, reason)), {});

describe("errors", () => {
  it("reads the status code of an ApiException, a watch error and a watch ERROR event's Status", () => {
    expect(statusCodeOf(apiException(404, "NotFound"))).toBe(404);
    expect(statusCodeOf(Object.assign(new Error("Gone"), { statusCode: 410 }))).toBe(410);
    expect(statusCodeOf(status(410, "Expired"))).toBe(410);
    expect(statusCodeOf(new ApiException(401, "Unauthorized", undefined, {}))).toBe(401);
  });

  it("has no status code for network errors and non-errors", () => {
    expect(
      statusCodeOf(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })),
    ).toBeUndefined();
    expect(statusCodeOf(undefined)).toBeUndefined();
    expect(statusCodeOf("404")).toBeUndefined();
    expect(statusCodeOf({ code: 7 })).toBeUndefined();
  });

  it("tells AlreadyExists from Conflict although both are 409", () => {
    const exists = apiException(409, "AlreadyExists");
    const stale = apiException(409, "Conflict");
    expect(reasonOf(exists)).toBe("AlreadyExists");
    expect(isAlreadyExists(exists)).toBe(true);
    expect(isConflict(exists)).toBe(false);
    expect(isConflict(stale)).toBe(true);
    expect(isAlreadyExists(stale)).toBe(false);
    // A 409 whose body is not a Status counts as a conflict.
    expect(isConflict(new ApiException(409, "x", "not json", {}))).toBe(true);
  });

  it("recognises NotFound and Gone", () => {
    expect(isNotFound(apiException(404, "NotFound"))).toBe(true);
    expect(isNotFound(apiException(410, "Gone"))).toBe(false);
    expect(isGone(status(410, "Expired"))).toBe(true);
    expect(isGone(Object.assign(new Error("Gone"), { statusCode: 410 }))).toBe(true);
    expect(isGone(apiException(500, "InternalError"))).toBe(false);
  });

  it("calls only the server's verdicts on the request itself terminal: 400, 413, 422", () => {
    for (const code of [400, 413, 422]) expect(isTerminal(apiException(code, "x")), `${code}`).toBe(true);
    for (const code of [401, 403, 404, 408, 409, 410, 429, 500, 503, 504])
      expect(isTerminal(apiException(code, "x")), `${code}`).toBe(false);
    expect(isTerminal(Object.assign(new Error("reset"), { code: "ECONNRESET" }))).toBe(false);
    expect(isTerminal(Object.assign(new Error("fetch failed"), { type: "system" }))).toBe(false);
    expect(isTerminal(new Error("a bug"))).toBe(false);
    expect(isTerminal(null)).toBe(false);
  });
});
