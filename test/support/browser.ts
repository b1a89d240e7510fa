/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// (Functions passed to page.evaluate run in the page.)
/**
 * A real headless browser for the dashboard tests: Debian's Chromium driven
 * by playwright-core (no browser download). Screenshots go to one folder,
 * printed once, so a reviewer can look at every view.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM = process.env.HYPERTUNE_CHROMIUM ?? "/usr/bin/chromium";
export const SCREENSHOTS = process.env.HYPERTUNE_SCREENSHOTS ?? join(process.cwd(), ".test-screenshots");

let announced = false;

export async function launchBrowser(): Promise<Browser> {
  // Root (CI) cannot use Chromium's user-namespace sandbox; the pages are our own.
  const args = process.getuid?.() === 0 ? ["--no-sandbox"] : [];
  return chromium.launch({ executablePath: CHROMIUM, args });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  if (!announced) {
    announced = true;
    console.log(`dashboard screenshots: ${SCREENSHOTS}`);
  }
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Pixels of the panel's canvases that are not blank: a view that drew nothing has none. */
export async function inkOf(page: Page, panel: string): Promise<number> {
  return page.evaluate((name) => {
    let ink = 0;
    for (const canvas of document.querySelectorAll(`#panel-${name} canvas`)) {
      const c = canvas as HTMLCanvasElement;
      if (c.width === 0 || c.height === 0) continue;
      const data = (c.getContext("2d") as CanvasRenderingContext2D).getImageData(
        0,
        0,
        c.width,
        c.height,
      ).data;
      for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) ink++;
    }
    return ink;
  }, panel);
}

/** Fails the test on any error the page throws. */
export function failOnPageErrors(page: Page, errors: string[]): void {
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
}
