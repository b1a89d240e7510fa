// Experiment, preloaded into the operator with BENCH_OPERATOR_IMPORT: one
// keep-alive https.Agent per cluster instead of client-node's new Agent (new
// TLS connection, handshake and SecureContext) for every request. Not in src/;
// it measures what such a change would be worth.
import { KubeConfig } from "@kubernetes/client-node";

const agents = new Map();
const original = KubeConfig.prototype.createAgent;
KubeConfig.prototype.createAgent = function createAgent(cluster, agentOptions) {
  if (cluster?.proxyUrl) return original.call(this, cluster, agentOptions);
  const key = `${cluster?.server}|${this.currentContext}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = original.call(this, cluster, { ...agentOptions, keepAlive: true });
    agents.set(key, agent);
  }
  return agent;
};
