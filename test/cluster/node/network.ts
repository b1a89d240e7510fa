// The node's network on the host: a bridge of our own for the pods, and an
// iptables chain that lets pods reach only each other, the host's bridge
// address (the API server, the kubelet) and the service range (which
// kube-proxy rewrites to those). No masquerade: nothing in a pod can reach
// past this machine.
import { serviceClusterIpRange } from "../pki.js";
import { sh, trySh } from "./exec.js";
import { bridge, egressChain } from "./layout.js";

const jumps = [
  ["FORWARD", "-i", bridge.name, "-j", egressChain],
  ["INPUT", "-i", bridge.name, "-j", egressChain],
];

export async function setUpNetwork(): Promise<void> {
  await sh("ip", ["link", "add", bridge.name, "type", "bridge"]);
  await sh("ip", ["addr", "add", `${bridge.gateway}/${bridge.prefix}`, "dev", bridge.name]);
  await sh("ip", ["link", "set", bridge.name, "up"]);
  await sh("iptables", ["-w", "-N", egressChain]);
  for (const destination of [bridge.subnet, serviceClusterIpRange]) {
    await sh("iptables", ["-w", "-A", egressChain, "-d", destination, "-j", "RETURN"]);
  }
  await sh("iptables", ["-w", "-A", egressChain, "-j", "DROP"]);
  // First in their chains, so no host rule can accept pod traffic before ours.
  for (const jump of jumps) await sh("iptables", ["-w", "-I", ...jump]);
}

/** Undoes setUpNetwork and the kubelet's and kube-proxy's chains; safe to run on a clean host. */
export async function tearDownNetwork(kubeProxy?: string): Promise<void> {
  for (const jump of jumps) while (await trySh("iptables", ["-w", "-D", ...jump])) {}
  if (await trySh("iptables", ["-w", "-F", egressChain])) await trySh("iptables", ["-w", "-X", egressChain]);
  // kube-proxy removes its own KUBE-* chains; the kubelet's are left to us.
  if (kubeProxy) await trySh(kubeProxy, ["--cleanup"]);
  for (const ipt of ["iptables", "ip6tables"]) {
    for (const chain of ["INPUT", "OUTPUT"]) await trySh(ipt, ["-w", "-D", chain, "-j", "KUBE-FIREWALL"]);
    if (await trySh(ipt, ["-w", "-F", "KUBE-FIREWALL"])) await trySh(ipt, ["-w", "-X", "KUBE-FIREWALL"]);
    for (const table of ["filter", "nat", "mangle"]) {
      for (const chain of ["KUBE-KUBELET-CANARY", "KUBE-IPTABLES-HINT", "KUBE-PROXY-CANARY"]) {
        await trySh(ipt, ["-w", "-t", table, "-F", chain]);
        await trySh(ipt, ["-w", "-t", table, "-X", chain]);
      }
    }
  }
  await trySh("ip", ["link", "del", bridge.name]);
}

/** What of the network a previous run left behind, in words; empty when clean. */
export async function networkLeftovers(): Promise<string[]> {
  const found: string[] = [];
  if (await trySh("ip", ["link", "show", bridge.name])) found.push(`bridge ${bridge.name}`);
  if (await trySh("iptables", ["-w", "-n", "-L", egressChain])) found.push(`iptables chain ${egressChain}`);
  return found;
}
