// Self-contained kubeconfig files (certificates embedded), so they outlive the
// control plane's temp dir and work from any process.
import { readFile, writeFile } from "node:fs/promises";
import { stringify } from "yaml";
import type { CertPair } from "./pki.js";

const base64 = async (path: string) => (await readFile(path)).toString("base64");

export async function writeKubeconfig(
  path: string,
  opts: { server: string; caCert: string; client: CertPair; user: string },
): Promise<void> {
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: "hypertune-test",
        cluster: { server: opts.server, "certificate-authority-data": await base64(opts.caCert) },
      },
    ],
    users: [
      {
        name: opts.user,
        user: {
          "client-certificate-data": await base64(opts.client.cert),
          "client-key-data": await base64(opts.client.key),
        },
      },
    ],
    contexts: [{ name: "hypertune-test", context: { cluster: "hypertune-test", user: opts.user } }],
    "current-context": "hypertune-test",
  };
  await writeFile(path, stringify(config), { mode: 0o600 });
}
