import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { defaultStateRoot } from "../../local/index.js";
import { type Command, CommandFailed, EXIT_FAILED, EXIT_OK } from "../command.js";
import { parseFlags, UsageError } from "../parseFlags.js";

export const reportCommand: Command = {
  name: "report",
  summary: "write a self-contained HTML report (or SVG plots) of local jobs",
  help: `Usage: hypertune report FILE_OR_DIR --out PATH [--format html|svg|png]

Writes the dashboard's views of finished (or running) local jobs to one file
that needs nothing else to open: data, script and styles are inlined, and the
page may fetch nothing (its Content-Security-Policy says so).

FILE_OR_DIR: a TuningJob file (its jobs in .hypertune/ next to it), a state
dir (every job in it), or one job's folder (.hypertune/NAME).

Options:
  --out PATH         where to write (required)
  --format FORMAT    html (default): the whole report;
                     svg: the optimisation history and parameter importance of
                     one job as SVG files, PATH-history.svg and PATH-importance.svg
                     (PATH without its .svg); for several objectives the Pareto
                     front instead of the history;
                     png: the same two pictures as PNG (at twice their size), for
                     pasting; drawn by the optional dependency @resvg/resvg-js
  -h, --help         show this help
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, {
      out: { type: "string", short: "o" },
      format: { type: "string" },
    });
    if (values.help) {
      io.stdout.write(this.help);
      return EXIT_OK;
    }
    const [target, ...extra] = positionals;
    if (target === undefined)
      throw new UsageError(
        "give a TuningJob file or a state dir, e.g. hypertune report tuningjob.yaml --out report.html",
      );
    if (extra.length > 0) throw new UsageError(`report takes one file or folder; unexpected "${extra[0]}"`);
    if (values.out === undefined) throw new UsageError("--out PATH is required");
    const format = values.format ?? "html";
    if (format !== "html" && format !== "svg" && format !== "png")
      throw new UsageError(`--format must be html, svg or png, not "${format}"`);
    const { reportData, reportHtml, reportScope } = await import("../../dashboard/report.js");
    const isFile = /\.ya?ml$/i.test(target);
    const scope = isFile ? { root: defaultStateRoot(target) } : reportScope(resolve(target));
    const data = await reportData(scope.root, scope.only);
    if (data.jobs.length === 0) {
      io.stderr.write(`hypertune report: no job state found in ${scope.root}\n`);
      return EXIT_FAILED;
    }
    if (format === "html") {
      const { loadDashboardAssets } = await import("../../dashboard/assets.js");
      const html = reportHtml(loadDashboardAssets(), data);
      writeFileSync(values.out, html);
      io.stdout.write(
        `wrote ${values.out} (${data.jobs.length} job(s), ${(html.length / 1e6).toFixed(1)} MB)\n`,
      );
      return EXIT_OK;
    }
    if (data.jobs.length > 1)
      throw new UsageError(
        `--format svg draws one job; ${target} holds ${data.jobs.length}: give one job's folder`,
      );
    const { historySvg, importanceSvg } = await import("../../dashboard/svg.js");
    const view = Object.values(data.views)[0];
    if (!view) return EXIT_FAILED;
    const base = values.out.replace(/\.(svg|png)$/i, "");
    const pictures = { history: historySvg(view), importance: importanceSvg(view) };
    const encode = format === "png" ? await pngEncoder() : (svg: string) => svg;
    for (const [name, svg] of Object.entries(pictures))
      writeFileSync(`${base}-${name}.${format}`, encode(svg));
    io.stdout.write(`wrote ${base}-history.${format} and ${base}-importance.${format}\n`);
    return EXIT_OK;
  },
};

/**
 * SVG to PNG with resvg (an optional dependency: only this needs it), with the
 * system's fonts. resvg does not resolve sans-serif here (its default family is
 * Times New Roman), so DejaVu Sans, the sans Linux systems have, is the default.
 */
async function pngEncoder(): Promise<(svg: string) => Buffer> {
  let Resvg: typeof import("@resvg/resvg-js").Resvg;
  try {
    ({ Resvg } = await import("@resvg/resvg-js"));
  } catch {
    throw new CommandFailed(
      "--format png needs the optional dependency @resvg/resvg-js: npm install @resvg/resvg-js",
    );
  }
  return (svg) =>
    new Resvg(svg, {
      fitTo: { mode: "zoom", value: 2 },
      font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
    })
      .render()
      .asPng();
}
