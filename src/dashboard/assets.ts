/**
 * The page's script and styles, bundled by `src/dashboard/ui/bundle.mjs` into
 * dist/dashboard/ui/ when the package is built (`npm ci` runs it).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DashboardAssets } from "./page.js";

/** dist/dashboard/ui of this package, whether this module runs from dist/ or from src/ (tsx). */
export function bundledAssetsDir(): string {
  // Both places are two levels below the package root: dist/dashboard/, src/dashboard/.
  const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
  return join(root, "dist", "dashboard", "ui");
}

export function loadDashboardAssets(dir = bundledAssetsDir()): DashboardAssets {
  try {
    return { js: readFileSync(join(dir, "app.js"), "utf8"), css: readFileSync(join(dir, "app.css"), "utf8") };
  } catch {
    throw new Error(`the dashboard's page is not built (no ${dir}/app.js): run npm run build`);
  }
}
