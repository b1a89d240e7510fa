/**
 * The dashboard page: routes between the job list (`#`) and a job
 * (`#/job/<id>`), and keeps an open page current from the server's events.
 */
import type { ReportData } from "../page.js";
import { type DataClient, liveClient, reportClient } from "./data.js";
import { type JobPage, showJob } from "./job-page.js";
import { showJobs } from "./jobs-list.js";
import { element } from "./views/view.js";

const boot = JSON.parse(document.getElementById("hypertune-data")?.textContent ?? "{}") as {
  mode: "live" | "report";
  data: ReportData | null;
};
const client: DataClient = boot.mode === "report" && boot.data ? reportClient(boot.data) : liveClient();

const header = element("header");
header.append(
  element("a", { href: "#", class: "brand" }, "hypertune"),
  element("span", { class: "mode" }, client.live ? "live" : "report"),
);
const main = element("main");
document.body.append(header, main);

let page: JobPage | undefined;
let routing = Promise.resolve();

function route(): void {
  routing = routing.then(async () => {
    const match = /^#\/job\/(.+)$/.exec(location.hash);
    try {
      if (match?.[1]) page = await showJob(main, client, decodeURIComponent(match[1]));
      else {
        page = undefined;
        await showJobs(main, client);
      }
    } catch (err) {
      main.replaceChildren(element("p", { class: "error" }, String(err)));
    }
  });
}

client.onChange((id) => {
  routing = routing.then(async () => {
    if (!page) await showJobs(main, client);
    else if (id === page.id) await page.refresh();
  });
});
window.addEventListener("hashchange", route);
route();
