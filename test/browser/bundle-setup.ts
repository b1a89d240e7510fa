// The browser tests test the page as the working tree has it: bundle it into
// dist/ first (what `npm run build` does), so neither the in-process server
// nor a spawned `hypertune report` can serve a stale one.
// @ts-expect-error: a plain .mjs build script without types
import { bundleDashboard } from "../../src/dashboard/ui/bundle.mjs";

export default async function setup(): Promise<void> {
  await bundleDashboard();
}
