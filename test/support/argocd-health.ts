// Argo CD's own health assessment of an object (argocd-health, built by
// build.sh from Argo CD's code: `argocd admin settings resource-overrides
// health`) with the argocd-cm customization this repository ships.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { stringify } from "yaml";
import { defaultBinDir, requireBinaries } from "../cluster/binaries.js";

const run = promisify(execFile);

export const argocdFolder = resolve(import.meta.dirname, "..", "..", "deploy", "argocd");
const cmPatch = join(argocdFolder, "argocd-cm-patch.yaml");

/** STATUS and MESSAGE as Argo CD assesses `object`. */
export async function argocdHealth(object: object): Promise<{ status: string; message: string }> {
  const bin = requireBinaries(defaultBinDir(), ["argocd-health"])["argocd-health"];
  const dir = await mkdtemp(join(tmpdir(), "hypertune-argocd-"));
  try {
    const path = join(dir, "resource.yaml");
    await writeFile(path, stringify(object));
    // The patch is a ConfigMap's data; the CLI names the ConfigMap itself.
    const { stdout } = await run(bin, [path, "--argocd-cm-path", cmPatch]);
    const status = /^STATUS: (.*)$/m.exec(stdout)?.[1];
    const message = /^MESSAGE: (.*)$/m.exec(stdout)?.[1];
    if (status === undefined || message === undefined) throw new Error(`argocd-health printed: ${stdout}`);
    return { status, message };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
