/**
 * Reads a container's log through the API server (`pods/log`, what `kubectl
 * logs` calls), as lines. A raw HTTP request rather than client-node's `Log`:
 * `Log` pipes the body without passing on a dropped connection (the caller
 * would wait forever) and drops the Status of a 4xx answer. The kubeconfig's
 * TLS and credentials still come from client-node (`applyToHTTPSOptions`).
 */
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
// The local backend's splitter: pure, byte-bounded, shared rather than copied.
import { LineSplitter } from "../../metrics/lineSplitter.js";

/** Lines longer than this are cut and passed on flagged (the parser's own limit). */
export const DEFAULT_MAX_LOG_LINE = 64 * 1024;
/** An error answer's body is read up to this much, for its Status. */
const MAX_ERROR_BODY = 64 * 1024;

export interface LogStreamOptions {
  /** Keep reading as the container writes; the stream ends when the container ends. */
  follow: boolean;
  /** Aborting ends the read quietly: `stream` resolves. */
  signal?: AbortSignal;
  /** Each line without its line break; `truncated` when it was longer than the limit and cut. */
  onLine: (line: string, truncated: boolean) => void;
}

export interface PodLogSource {
  /** Resolves when the log ends (or the signal aborts); rejects with `PodLogError` on an API error. */
  stream(namespace: string, pod: string, container: string, opts: LogStreamOptions): Promise<void>;
}

/**
 * A failed log request. `code` is the HTTP status (404: no such pod or
 * container, 400: the container has not started yet, 403: no permission), or
 * undefined when the connection failed or dropped. `code` and `body` have the
 * shapes of client-node's ApiException, so `statusCodeOf` and friends in
 * src/kube read it too.
 */
export class PodLogError extends Error {
  override readonly name = "PodLogError";
  constructor(
    message: string,
    readonly code: number | undefined,
    readonly reason?: string,
    readonly body?: string,
  ) {
    super(message);
  }
}

export function createPodLogSource(kc: KubeConfig, opts: { maxLineLength?: number } = {}): PodLogSource {
  const maxLineLength = opts.maxLineLength ?? DEFAULT_MAX_LOG_LINE;
  return {
    async stream(namespace, pod, container, { follow, signal, onLine }) {
      const server = kc.getCurrentCluster()?.server;
      if (!server) throw new PodLogError("the kubeconfig has no current cluster", undefined);
      const url = new URL(
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`,
        server,
      );
      url.searchParams.set("container", container);
      if (follow) url.searchParams.set("follow", "true");
      const requestOptions: https.RequestOptions = { method: "GET" };
      await kc.applyToHTTPSOptions(requestOptions);
      if (signal?.aborted) return;
      return new Promise<void>((resolve, reject) => {
        const transport = url.protocol === "http:" ? http : https;
        const request = transport.request(url, { ...requestOptions, ...(signal && { signal }) });
        const fail = (err: unknown) => {
          if (signal?.aborted) resolve();
          else reject(err instanceof PodLogError ? err : connectionError(err));
        };
        request.on("error", fail);
        request.on("response", (response) => {
          if (response.statusCode !== 200) {
            readErrorBody(response).then((body) => fail(statusError(response.statusCode, body)), fail);
            return;
          }
          const splitter = new LineSplitter(onLine, maxLineLength);
          response.on("data", (chunk: Buffer) => splitter.push(chunk));
          const cutOff = () => fail(new PodLogError("the log stream was cut off", undefined));
          response.on("error", fail);
          response.on("end", () => {
            if (!response.complete) return cutOff();
            splitter.end();
            resolve();
          });
          // A close without a complete end is a dropped connection (settling twice is a no-op).
          response.on("close", cutOff);
        });
        request.end();
      });
    },
  };
}

function readErrorBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    response.setEncoding("utf8");
    response.on("data", (text: string) => {
      if (body.length < MAX_ERROR_BODY) body += text.slice(0, MAX_ERROR_BODY - body.length);
    });
    response.on("end", () => resolve(body));
    response.on("error", reject);
  });
}

function statusError(code: number | undefined, body: string): PodLogError {
  let message = `pods/log answered ${code}`;
  let reason: string | undefined;
  try {
    const status = JSON.parse(body) as { message?: unknown; reason?: unknown };
    if (typeof status.message === "string") message = status.message;
    if (typeof status.reason === "string") reason = status.reason;
  } catch {
    if (body.trim() !== "") message = `${message}: ${body.trim().slice(0, 200)}`;
  }
  return new PodLogError(message, code, reason, body);
}

function connectionError(err: unknown): PodLogError {
  return new PodLogError(
    `pods/log request failed: ${err instanceof Error ? err.message : String(err)}`,
    undefined,
  );
}
