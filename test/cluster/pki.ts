// Certificates and keys for a throwaway control plane, made with openssl (Node
// can make keys but not X.509 certificates, and this avoids an npm dependency).
import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface CertPair {
  cert: string;
  key: string;
}

export interface Pki {
  ca: CertPair;
  apiServer: CertPair;
  admin: CertPair;
  controllerManager: CertPair;
  scheduler: CertPair;
  /** What kube-apiserver presents to kubelets (node agents) for logs and exec. */
  kubeletClient: CertPair;
  /** The aggregation layer's client; also makes the requestheader CA known to delegating components. */
  frontProxyClient: CertPair;
  serviceAccountKey: string;
  serviceAccountPub: string;
}

/** The in-cluster names and IP of the `kubernetes` Service, which the serving cert must cover. */
export const serviceClusterIpRange = "10.0.0.0/24";
const kubernetesServiceIp = "10.0.0.1";

export async function checkOpenssl(): Promise<void> {
  try {
    await run("openssl", ["version"]);
  } catch {
    throw new Error("openssl is needed to make the test cluster's certificates but was not found on PATH");
  }
}

const pairIn = (dir: string, name: string): CertPair => ({
  cert: join(dir, `${name}.crt`),
  key: join(dir, `${name}.key`),
});

async function makeCert(dir: string, out: CertPair, subject: string, extensions: string[], ca?: CertPair) {
  // An empty config, so the system openssl.cnf cannot add extensions (such as
  // CA:TRUE on leaf certificates).
  const config = join(dir, "openssl.cnf");
  await writeFile(config, "[req]\ndistinguished_name=dn\n[dn]\n");
  const args = ["req", "-x509", "-config", config, "-nodes", "-newkey", "ec", "-pkeyopt"];
  args.push("ec_paramgen_curve:prime256v1", "-keyout", out.key, "-out", out.cert, "-days", "3650");
  args.push("-subj", subject);
  if (ca) args.push("-CA", ca.cert, "-CAkey", ca.key);
  for (const ext of extensions) args.push("-addext", ext);
  await run("openssl", args);
}

const leaf = (usage: string) => [
  "basicConstraints=critical,CA:FALSE",
  "keyUsage=critical,digitalSignature,keyEncipherment",
  `extendedKeyUsage=${usage}`,
];

/**
 * A leaf certificate signed by the cluster's CA, written as DIR/NAME.crt and
 * .key: a client cert, or a serving one when `subjectAltNames` are given.
 */
export async function signLeaf(
  ca: CertPair,
  dir: string,
  name: string,
  subject: string,
  subjectAltNames?: string[],
): Promise<CertPair> {
  const out = pairIn(dir, name);
  const extensions = subjectAltNames
    ? [...leaf("serverAuth"), `subjectAltName=${subjectAltNames.join(",")}`]
    : leaf("clientAuth");
  await makeCert(dir, out, subject, extensions, ca);
  return out;
}

/** `apiServerIps`: further addresses the API server's serving cert must cover. */
export async function createPki(dir: string, apiServerIps: string[] = []): Promise<Pki> {
  await checkOpenssl();
  const pair = (name: string) => pairIn(dir, name);
  const make = (out: CertPair, subject: string, extensions: string[], ca?: CertPair) =>
    makeCert(dir, out, subject, extensions, ca);

  const ca = pair("ca");
  await make(ca, "/CN=hypertune-test-ca", [
    "basicConstraints=critical,CA:TRUE",
    "keyUsage=critical,keyCertSign,cRLSign,digitalSignature",
  ]);

  const apiServer = pair("apiserver");
  const names = [
    "kubernetes",
    "kubernetes.default",
    "kubernetes.default.svc",
    "kubernetes.default.svc.cluster.local",
  ];
  const san = [
    "IP:127.0.0.1",
    `IP:${kubernetesServiceIp}`,
    ...apiServerIps.map((ip) => `IP:${ip}`),
    "DNS:localhost",
    ...names.map((n) => `DNS:${n}`),
  ];
  const clients: [CertPair, string][] = [
    [pair("admin"), "/O=system:masters/CN=hypertune-admin"],
    [pair("controller-manager"), "/CN=system:kube-controller-manager"],
    [pair("scheduler"), "/CN=system:kube-scheduler"],
    [pair("kubelet-client"), "/O=system:masters/CN=kube-apiserver-kubelet-client"],
    [pair("front-proxy-client"), "/CN=front-proxy-client"],
  ];
  await Promise.all([
    make(apiServer, "/CN=kube-apiserver", [...leaf("serverAuth"), `subjectAltName=${san.join(",")}`], ca),
    ...clients.map(([out, subject]) => make(out, subject, leaf("clientAuth"), ca)),
  ]);

  // Signs and verifies service-account tokens; ECDSA is quick to generate.
  const { privateKey, publicKey } = generateKeyPairSync("ec", {
    namedCurve: "prime256v1",
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const serviceAccountKey = join(dir, "sa.key");
  const serviceAccountPub = join(dir, "sa.pub");
  await writeFile(serviceAccountKey, privateKey, { mode: 0o600 });
  await writeFile(serviceAccountPub, publicKey);

  const [admin, controllerManager, scheduler, kubeletClient, frontProxyClient] = clients.map(([p]) => p) as [
    CertPair,
    CertPair,
    CertPair,
    CertPair,
    CertPair,
  ];
  return {
    ca,
    apiServer,
    admin,
    controllerManager,
    scheduler,
    kubeletClient,
    frontProxyClient,
    serviceAccountKey,
    serviceAccountPub,
  };
}
