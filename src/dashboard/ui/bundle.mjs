// Bundles the dashboard's page (src/dashboard/ui/main.ts and uPlot) into
// dist/dashboard/ui/app.js and app.css: one script and one stylesheet, which
// the server and the report inline. Run by `npm run build`; tests call
// `bundleDashboard()` so they never test a stale page.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");

export async function bundleDashboard(outDir = join(root, "dist", "dashboard", "ui")) {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(here, "main.ts")],
    bundle: true,
    format: "iife",
    target: "es2022",
    minify: true,
    legalComments: "inline",
    outfile: join(outDir, "app.js"),
    logLevel: "warning",
  });
  const uplotCss = readFileSync(join(root, "node_modules", "uplot", "dist", "uPlot.min.css"), "utf8");
  const ownCss = readFileSync(join(here, "style.css"), "utf8");
  writeFileSync(join(outDir, "app.css"), `${uplotCss}\n${ownCss}`);
  return outDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleDashboard();
