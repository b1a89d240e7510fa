/**
 * client-node 1.x builds a new https.Agent for every request, so every call
 * (each status patch, each create, each list) pays a fresh TCP and TLS
 * handshake. Measured on the test harness (bench/results/operator.md), that
 * was most of the operator's CPU and ~110 MiB of its peak memory. This gives
 * one KubeConfig a keep-alive agent per API server and agent settings.
 *
 * It replaces a method that client-node's typings mark private, on this one
 * instance only; the test in test/unit/kube/connection-reuse.test.ts fails
 * if a client-node upgrade changes how agents are made.
 */
import type { Agent } from "node:http";
import type { KubeConfig } from "@kubernetes/client-node";

interface AgentMaker {
  createAgent(
    cluster: { server?: string; proxyUrl?: string } | null,
    options: Record<string, unknown>,
  ): Agent;
}

export function reuseConnections(kc: KubeConfig): KubeConfig {
  const maker = kc as unknown as AgentMaker;
  if (typeof maker.createAgent !== "function")
    throw new Error("client-node no longer has KubeConfig.createAgent");
  const original = maker.createAgent.bind(kc);
  const agents = new Map<string, Agent>();
  maker.createAgent = (cluster, options) => {
    if (cluster?.proxyUrl) return original(cluster, options);
    // Credentials come from the same kubeconfig user every time; these are the settings that vary by call.
    const key = JSON.stringify([
      cluster?.server,
      options.timeout,
      options.servername,
      options.rejectUnauthorized,
    ]);
    let agent = agents.get(key);
    if (!agent) {
      agent = original(cluster, { ...options, keepAlive: true });
      agents.set(key, agent);
    }
    return agent;
  };
  return kc;
}
