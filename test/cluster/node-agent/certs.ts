// A throwaway self-signed serving certificate for the log server. The API server
// does not verify the kubelet's certificate unless --kubelet-certificate-authority
// is set, so self-signed is enough. Node's crypto cannot issue X.509 certificates,
// hence the openssl CLI (present wherever Node's own TLS tooling is).
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface ServingCert {
  key: string;
  cert: string;
}

export async function generateServingCert(commonName: string): Promise<ServingCert> {
  const dir = await mkdtemp(join(tmpdir(), "node-agent-cert-"));
  try {
    const keyPath = join(dir, "key.pem");
    const certPath = join(dir, "cert.pem");
    await run("openssl", [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "7",
      "-subj",
      `/CN=${commonName}`,
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "-keyout",
      keyPath,
      "-out",
      certPath,
    ]).catch((err: unknown) => {
      throw new Error(`openssl could not create the log server's certificate: ${String(err)}`);
    });
    return { key: await readFile(keyPath, "utf8"), cert: await readFile(certPath, "utf8") };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
