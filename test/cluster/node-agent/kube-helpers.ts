// Small helpers shared by the node agent's API calls.
import { type ConfigurationOptions, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";

/** HTTP status of a failed client-node call (ApiException.code), or undefined. */
export function httpStatus(err: unknown): number | undefined {
  if (typeof err === "object" && err !== null) {
    const code =
      (err as { code?: unknown; statusCode?: unknown }).code ?? (err as { statusCode?: unknown }).statusCode;
    if (typeof code === "number") return code;
  }
  return undefined;
}

export const isNotFound = (err: unknown): boolean => httpStatus(err) === 404;
export const isConflict = (err: unknown): boolean => httpStatus(err) === 409;

/** Request options that send a body as a strategic merge patch (list fields merge by key, as the kubelet's do). */
export const strategicMerge: ConfigurationOptions = setHeaderOptions(
  "Content-Type",
  PatchStrategy.StrategicMergePatch,
);
export const mergePatch: ConfigurationOptions = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

/** metav1.Time: RFC 3339; Go accepts the milliseconds of toISOString. */
export const kubeTime = (d: Date = new Date()): string => d.toISOString();

/** metav1.MicroTime wants exactly six fractional digits, which toISOString does not give. */
export const kubeMicroTime = (d: Date = new Date()): string =>
  d.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");

export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const status = httpStatus(err);
    const body = (err as { body?: unknown }).body;
    const message =
      typeof body === "object" && body !== null ? (body as { message?: unknown }).message : undefined;
    if (status !== undefined)
      return `HTTP ${status}: ${typeof message === "string" ? message : err.message.split("\n")[0]}`;
    return err.message;
  }
  return String(err);
}
