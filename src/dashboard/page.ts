/**
 * The one HTML page, for the live dashboard and for the report file. Script
 * and styles are inlined in both, so a report is a single file; the page's
 * Content-Security-Policy forbids every fetch but the live API's own origin
 * (none at all in a report), so "opens offline" is enforced, not hoped for.
 */
import type { JobListItem, JobView } from "./view.js";

export interface DashboardAssets {
  js: string;
  css: string;
}

/** What a report carries in place of the API: the jobs, their views and trial logs. */
export interface ReportData {
  generatedAt: number;
  jobs: JobListItem[];
  views: Record<string, JobView>;
  logs: Record<string, Record<number, string>>;
}

export type PageMode = { mode: "live" } | { mode: "report"; data: ReportData };

export function pageHtml(assets: DashboardAssets, page: PageMode): string {
  const connect = page.mode === "live" ? "'self'" : "'none'";
  const csp = `default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src ${connect}`;
  const data = page.mode === "report" ? page.data : null;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>hypertune${page.mode === "report" ? " report" : ""}</title>
<style>${assets.css}</style>
</head>
<body>
<script id="hypertune-data" type="application/json">${scriptSafeJson({ mode: page.mode, data })}</script>
<script>${assets.js.replaceAll("</script", "<\\/script")}</script>
</body>
</html>
`;
}

/** JSON that cannot close its <script> element early. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
