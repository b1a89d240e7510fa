// Health probes for the control plane's HTTP(S) endpoints.
import { readFileSync } from "node:fs";
import { get as httpGet } from "node:http";
import { get as httpsGet } from "node:https";
import type { CertPair } from "./pki.js";

export interface ProbeTls {
  /** Verify the server against this CA; without it the server's cert is not checked (self-signed). */
  caCert?: string;
  client?: CertPair;
}

/** GETs `url` and resolves with the status code and body; rejects on network errors. */
export function probe(
  url: string,
  tls: ProbeTls = {},
  timeoutMs = 5_000,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const options = url.startsWith("https:")
      ? {
          ca: tls.caCert ? readFileSync(tls.caCert) : undefined,
          cert: tls.client ? readFileSync(tls.client.cert) : undefined,
          key: tls.client ? readFileSync(tls.client.key) : undefined,
          rejectUnauthorized: tls.caCert !== undefined,
          timeout: timeoutMs,
        }
      : { timeout: timeoutMs };
    const request = (url.startsWith("https:") ? httpsGet : httpGet)(url, options, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", reject);
    });
    request.on("timeout", () => request.destroy(new Error(`timeout probing ${url}`)));
    request.on("error", reject);
  });
}

export async function isHealthy(url: string, tls?: ProbeTls): Promise<boolean> {
  const { status } = await probe(url, tls);
  return status === 200;
}
