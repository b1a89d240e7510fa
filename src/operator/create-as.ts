/**
 * Creating a trial's Job as its requester (impersonation): the API server
 * itself then authorizes the create against the requester's own RBAC, and the
 * operator needs no permission to create Jobs at all. A raw HTTPS request,
 * because client-node sets only Impersonate-User and the groups need one
 * Impersonate-Group header each. TLS and the operator's own credentials come
 * from client-node (`applyToHTTPSOptions`).
 */
import http from "node:http";
import https from "node:https";
import { ApiException, type KubeConfig, type V1Job } from "@kubernetes/client-node";
import type { Requester } from "./requester.js";

const MAX_BODY = 64 * 1024;

export function jobCreatorAs(kc: KubeConfig) {
  return async function createJobAs(namespace: string, job: V1Job, requester: Requester): Promise<void> {
    const server = kc.getCurrentCluster()?.server;
    if (!server) throw new Error("the kubeconfig has no current cluster");
    const url = new URL(`/apis/batch/v1/namespaces/${encodeURIComponent(namespace)}/jobs`, server);
    const options: https.RequestOptions = { method: "POST" };
    await kc.applyToHTTPSOptions(options);
    const body = JSON.stringify(job);
    options.headers = {
      ...options.headers,
      "Content-Type": "application/json",
      "Content-Length": Buffer.byteLength(body),
      "Impersonate-User": requester.username,
      ...(requester.groups.length > 0 && { "Impersonate-Group": requester.groups }),
    };
    const { code, text } = await send(url, options, body);
    if (code >= 200 && code < 300) return;
    throw new ApiException(
      code,
      `creating Job ${job.metadata?.name} as ${requester.username}: HTTP ${code}`,
      text,
      {},
    );
  };
}

function send(
  url: URL,
  options: https.RequestOptions,
  body: string,
): Promise<{ code: number; text: string }> {
  return new Promise((resolve, reject) => {
    const transport = url.protocol === "http:" ? http : https;
    const request = transport.request(url, options, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        if (text.length < MAX_BODY) text += chunk;
      });
      response.on("end", () => resolve({ code: response.statusCode ?? 0, text }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}
