// The kubelet, kube-proxy and the fake GPU device plugin of the real node,
// each with its own identity signed by the cluster's CA.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import { writeKubeconfig } from "../kubeconfig.js";
import { type Pki, signLeaf } from "../pki.js";
import { type Component, startComponent } from "../process.js";
import { sh } from "./exec.js";
import { bridge, devicePluginDir, nodeName, paths } from "./layout.js";

export interface NodeIdentities {
  kubeletKubeconfig: string;
  kubeProxyKubeconfig: string;
  kubeletServing: { cert: string; key: string };
}

export async function makeNodeIdentities(pki: Pki, apiServerUrl: string): Promise<NodeIdentities> {
  const dir = paths.pki;
  // The Node authorizer and NodeRestriction admit exactly this subject.
  const kubeletClient = await signLeaf(
    pki.ca,
    dir,
    "kubelet-client",
    `/O=system:nodes/CN=system:node:${nodeName}`,
  );
  const kubeProxyClient = await signLeaf(pki.ca, dir, "kube-proxy", "/CN=system:kube-proxy");
  // pods/log and exec reach the kubelet on the bridge address.
  const kubeletServing = await signLeaf(pki.ca, dir, "kubelet-serving", `/CN=${nodeName}`, [
    `IP:${bridge.gateway}`,
    `DNS:${nodeName}`,
  ]);
  const kubeletKubeconfig = join(dir, "kubelet.kubeconfig");
  const kubeProxyKubeconfig = join(dir, "kube-proxy.kubeconfig");
  const server = apiServerUrl;
  await writeKubeconfig(kubeletKubeconfig, {
    server,
    caCert: pki.ca.cert,
    client: kubeletClient,
    user: `system:node:${nodeName}`,
  });
  await writeKubeconfig(kubeProxyKubeconfig, {
    server,
    caCert: pki.ca.cert,
    client: kubeProxyClient,
    user: "system:kube-proxy",
  });
  return { kubeletKubeconfig, kubeProxyKubeconfig, kubeletServing };
}

/** The kubelet's release as [major, minor], from `kubelet --version` ("Kubernetes v1.29.6"). */
export async function kubeletVersion(kubeBinDir: string): Promise<[number, number]> {
  const out = await sh(join(kubeBinDir, "kubelet"), ["--version"]);
  const match = /v(\d+)\.(\d+)/.exec(out);
  if (!match) throw new Error(`cannot read the kubelet's version from "${out.trim()}"`);
  return [Number(match[1]), Number(match[2])];
}

function kubeletConfig(version: [number, number], caCert: string, serving: NodeIdentities["kubeletServing"]) {
  const [, minor] = version;
  return {
    apiVersion: "kubelet.config.k8s.io/v1beta1",
    kind: "KubeletConfiguration",
    // Hosts on cgroup v1 (this CI's): the kubelet refuses them since v1.35 unless told (field since v1.31).
    ...(minor >= 31 && { failCgroupV1: false }),
    // No systemd here; containerd is configured for cgroupfs too.
    cgroupDriver: "cgroupfs",
    containerRuntimeEndpoint: `unix://${paths.containerdSocket}`,
    address: bridge.gateway,
    readOnlyPort: 0,
    healthzBindAddress: "127.0.0.1",
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: caCert },
    },
    authorization: { mode: "Webhook" },
    tlsCertFile: serving.cert,
    tlsPrivateKeyFile: serving.key,
    clusterDomain: "cluster.local",
    // No cluster DNS and no upstream resolver: pods cannot reach one anyway.
    resolvConf: paths.resolvConf,
    // Since v1.30; older kubelets write to /var/log/pods, which cleanup then removes.
    ...(minor >= 30 && { podLogsDir: paths.podLogs }),
    failSwapOn: false,
    // A test machine's disk may be fuller than a node's; never evict test pods for it.
    evictionHard: { "memory.available": "100Mi", "nodefs.available": "1%", "imagefs.available": "1%" },
    imageGCHighThresholdPercent: 100,
    serializeImagePulls: false,
    // Quick status updates: tests wait on pod phases.
    nodeStatusUpdateFrequency: "4s",
    maxPods: 110,
  };
}

export async function startKubelet(
  binDir: string,
  version: [number, number],
  logDir: string,
  caCert: string,
  identities: NodeIdentities,
): Promise<Component> {
  await writeFile(paths.resolvConf, "# hypertune test node: pods have no DNS\n");
  await writeFile(paths.kubeletConfig, stringify(kubeletConfig(version, caCert, identities.kubeletServing)));
  return startComponent(
    "kubelet",
    join(binDir, "kubelet"),
    [
      `--config=${paths.kubeletConfig}`,
      `--kubeconfig=${identities.kubeletKubeconfig}`,
      `--hostname-override=${nodeName}`,
      `--node-ip=${bridge.gateway}`,
      `--root-dir=${paths.kubeletRoot}`,
      "--v=1",
    ],
    { logDir },
  );
}

export async function startKubeProxy(
  binDir: string,
  logDir: string,
  identities: NodeIdentities,
): Promise<Component> {
  const config = {
    apiVersion: "kubeproxy.config.k8s.io/v1alpha1",
    kind: "KubeProxyConfiguration",
    mode: "iptables",
    clientConnection: { kubeconfig: identities.kubeProxyKubeconfig },
    hostnameOverride: nodeName,
    clusterCIDR: bridge.subnet,
    bindAddress: bridge.gateway,
    healthzBindAddress: "127.0.0.1:10256",
    metricsBindAddress: "127.0.0.1:10249",
    // NodePorts only on the bridge: never on the host's own interfaces.
    nodePortAddresses: [`${bridge.gateway}/32`],
  };
  await writeFile(paths.kubeProxyConfig, stringify(config));
  return startComponent(
    "kube-proxy",
    join(binDir, "kube-proxy"),
    [`--config=${paths.kubeProxyConfig}`, "--v=1"],
    {
      logDir,
    },
  );
}

export function startFakeGpu(binDir: string, logDir: string, count: number): Component {
  return startComponent("fakegpu", join(binDir, "fakegpu"), [`-count=${count}`, `-dir=${devicePluginDir}`], {
    logDir,
  });
}
