import { KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { reuseConnections } from "../../../src/kube/index.js";

function config(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "c", server: "https://127.0.0.1:6443", skipTLSVerify: false }],
    users: [{ name: "u", token: "t" }],
    contexts: [{ name: "x", cluster: "c", user: "u" }],
    currentContext: "x",
  });
  return kc;
}

async function agentOf(kc: KubeConfig): Promise<unknown> {
  const options: { agent?: unknown } = {};
  await kc.applyToFetchOptions(options as never);
  return options.agent;
}

describe("reuseConnections", () => {
  it("hands every request the same keep-alive agent", async () => {
    const kc = reuseConnections(config());
    const first = (await agentOf(kc)) as { keepAlive?: boolean };
    expect(first).toBeDefined();
    expect(await agentOf(kc)).toBe(first);
    expect(first.keepAlive).toBe(true);
  });

  it("leaves other KubeConfigs as client-node made them (a new agent per request)", async () => {
    const plain = config();
    expect(await agentOf(plain)).not.toBe(await agentOf(plain));
  });
});
