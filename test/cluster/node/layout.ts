// Where a real node lives on the host, in one place: every name here is
// something `cluster:down` must undo, so cleanup and the leftover check read
// the same list as setup.
import { join } from "node:path";

/** One real node per host: the names below are fixed so a crashed run can be found and undone. */
export const nodeName = "hypertune-node";

/** A bridge of the harness's own; pods get addresses on it and nothing else. */
export const bridge = {
  name: "htnode0",
  gateway: "10.244.0.1",
  subnet: "10.244.0.0/24",
  prefix: 24,
  /** host-local hands pods addresses from here up. */
  rangeStart: "10.244.0.10",
};

/** The chain that drops pod traffic bound anywhere but the bridge's subnet and the service range. */
export const egressChain = "HYPERTUNE-EGRESS";

/** Persistent-looking state (containerd's store, kubelet's root, pod logs), removed by cluster:down. */
export const stateRoot = "/var/lib/hypertune-node";
/** Sockets and runtime state (tmpfs in most systems). */
export const runRoot = "/run/hypertune-node";

export const paths = {
  containerdRoot: join(stateRoot, "containerd"),
  containerdState: join(runRoot, "containerd"),
  containerdSocket: join(runRoot, "containerd.sock"),
  containerdConfig: join(stateRoot, "containerd.toml"),
  kubeletRoot: join(stateRoot, "kubelet"),
  kubeletConfig: join(stateRoot, "kubelet.yaml"),
  kubeProxyConfig: join(stateRoot, "kube-proxy.yaml"),
  podLogs: join(stateRoot, "pod-logs"),
  cniConfigDir: join(stateRoot, "cni", "net.d"),
  cniIpam: join(stateRoot, "cni", "ipam"),
  pki: join(stateRoot, "pki"),
  /** The bin dirs the node's processes run from (harness, Kubernetes), so cleanup after a crash knows what to kill. */
  binDirRecord: join(stateRoot, "bin-dirs.json"),
  resolvConf: join(stateRoot, "resolv.conf"),
  /** The control plane's processes (PID and executable), for cleanup after its owner died. */
  controlPlaneRecord: join(stateRoot, "control-plane.json"),
};

/** Fixed by the kubelet whatever its --root-dir; the device plugin's socket goes here. */
export const devicePluginDir = "/var/lib/kubelet/device-plugins";
/** The kubelet's default root, which holds devicePluginDir whatever --root-dir says. */
export const kubeletDefaultRoot = "/var/lib/kubelet";
/**
 * Marks kubeletDefaultRoot as created by the harness (preflight refuses one
 * that is not), and lists the other host directories the harness created, so
 * cleanup removes those and nothing of anyone else's. Not inside
 * devicePluginDir: the kubelet empties that directory when it starts.
 */
export const kubeletRootMark = `${kubeletDefaultRoot}/.hypertune-node`;
/** Where kubelets older than podLogsDir (v1.29) put pod logs, whatever their config. */
export const defaultPodLogs = "/var/log/pods";
/** The kubelet links every container's log here (a constant in the kubelet). */
export const containerLogLinks = "/var/log/containers";
/** libcni's result cache; entries are named after the network. */
export const cniCacheDir = "/var/lib/cni";
export const cniNetwork = "hypertune";

/** The binaries the node runs from build.sh's bin dirs; cleanup kills these by executable path. */
export const harnessNodeBinaries = ["containerd", "containerd-shim-runc-v2", "fakegpu"] as const;
export const kubeNodeBinaries = ["kubelet", "kube-proxy"] as const;

/** containerd's sandbox image, made FROM scratch by `npm run images` (test/images). */
export const sandboxImage = "registry.k8s.io/pause:3.10.2";
