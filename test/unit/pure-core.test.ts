/**
 * The pure core (the search, the engine, metric parsing, analyses) runs the
 * same in the operator, the local runner and a browser dashboard, so it must
 * do no I/O and know nothing of Kubernetes or of the processes around it.
 * This scans its imports and fails on any that would break that.
 */
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const PURE_DIRECTORIES = ["api", "space", "strategies", "stopping", "engine", "metrics", "analysis"];
const IMPURE_DIRECTORIES = ["kube", "operator", "local", "cli", "collector", "dashboard"];
const FORBIDDEN_PACKAGES = ["@kubernetes/client-node", "pino"];

/** Imports that predate this rule, each with why it is tolerated. */
const EXEMPT: Record<string, string[]> = {
  // StringDecoder keeps multi-byte characters split across chunks whole; it is
  // pure computation, but a browser would need a TextDecoder instead.
  "src/metrics/lineSplitter.ts": ["node:string_decoder"],
};

/** Every module specifier a source imports or re-exports, statically or dynamically. */
function importSpecifiers(source: string): string[] {
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^;'"]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((m) => m[1] as string));
}

/** Why a specifier, imported from `file` (relative to the repository), breaks purity; undefined when it does not. */
function violation(file: string, specifier: string): string | undefined {
  if (specifier.startsWith("node:") || builtinModules.includes(specifier.split("/")[0] as string))
    return "a Node.js built-in";
  if (FORBIDDEN_PACKAGES.some((p) => specifier === p || specifier.startsWith(`${p}/`)))
    return "an I/O package";
  if (!specifier.startsWith(".")) return undefined;
  const target = relative(join(root, "src"), resolve(root, dirname(file), specifier)).split(/[\\/]/)[0];
  return target && IMPURE_DIRECTORIES.includes(target) ? `a path into src/${target}` : undefined;
}

function sourceFiles(directory: string): string[] {
  return readdirSync(join(root, directory), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(directory, f).split("\\").join("/"));
}

describe("the pure core", () => {
  it("imports no built-ins, I/O packages or modules of the impure layers", () => {
    const found: string[] = [];
    const exemptionsUsed = new Set<string>();
    for (const directory of PURE_DIRECTORIES) {
      for (const file of sourceFiles(`src/${directory}`)) {
        for (const specifier of importSpecifiers(readFileSync(join(root, file), "utf8"))) {
          const why = violation(file, specifier);
          if (!why) continue;
          if (EXEMPT[file]?.includes(specifier)) exemptionsUsed.add(`${file} ${specifier}`);
          else found.push(`${file} imports "${specifier}", ${why}`);
        }
      }
    }
    expect(found).toEqual([]);
    // An exemption whose import is gone should go too.
    const exemptions = Object.entries(EXEMPT).flatMap(([file, specifiers]) =>
      specifiers.map((s) => `${file} ${s}`),
    );
    expect([...exemptionsUsed].sort()).toEqual(exemptions.sort());
  });

  it("scans the directories it names", () => {
    for (const directory of PURE_DIRECTORIES)
      expect(sourceFiles(`src/${directory}`).length, directory).toBeGreaterThan(0);
  });

  it("catches each kind of violation", () => {
    const source = [
      'import { readFileSync } from "node:fs";',
      'import path from "path";',
      "import type { KubeConfig } from '@kubernetes/client-node';",
      'export { logger } from "pino";',
      'import {\n  startOperator,\n} from "../operator/manager.js";',
      'const m = await import("../local/runner.js");',
      'import "../kube/index.js";',
      'import { z } from "zod";',
      'import { plan } from "../engine/index.js";',
    ].join("\n");
    const why = Object.fromEntries(
      importSpecifiers(source).map((s) => [s, violation("src/analysis/x.ts", s)]),
    );
    expect(why).toEqual({
      "node:fs": "a Node.js built-in",
      path: "a Node.js built-in",
      "@kubernetes/client-node": "an I/O package",
      pino: "an I/O package",
      "../operator/manager.js": "a path into src/operator",
      "../local/runner.js": "a path into src/local",
      "../kube/index.js": "a path into src/kube",
      zod: undefined,
      "../engine/index.js": undefined,
    });
  });
});
