/**
 * `npm run bench:dashboard`: the dashboard and the report at 50,000 trials,
 * side by side with optuna-dashboard on the same trials. Builds a synthetic finished local job (not timed), serves it with
 * the real CLI, opens it in Chromium (playwright-core), and writes
 * bench/results/dashboard.md (and .json) besides printing the tables.
 * Knobs (environment): BENCH_DASHBOARD_TRIALS (50000), BENCH_DASHBOARD_CURVES
 * (5000), BENCH_DASHBOARD_REPS (5), BENCH_DASHBOARD_SMALL (5000: a second,
 * smaller side by side; 0 leaves it out), BENCH_DASHBOARD_OPTUNA (1; 0 skips
 * optuna-dashboard), BENCH_DASHBOARD_TIMEOUT_S (120: how long a page may take
 * to draw), BENCH_KEEP=1 (keep the temporary folder), BENCH_OUT (default
 * bench/results/dashboard.md). Run `npm run build` first (the npm script does).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, homedir, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM } from "../../test/support/browser.js";
import { runHypertune, VIEWPORT } from "./hypertune-run.js";
import { type OptunaResult, runOptuna } from "./optuna-run.js";
import {
  aimsTable,
  breakdownTable,
  comparisonTable,
  environmentTable,
  filtersTable,
  jobTable,
  panelTable,
  type ServerParts,
  type SizeRun,
  serverPartsTable,
} from "./report.js";
import { writeSyntheticJob } from "./synthetic.js";

const repoRoot = resolve(import.meta.dirname, "..", "..");
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const config = {
  trials: num("BENCH_DASHBOARD_TRIALS", 50_000),
  curves: num("BENCH_DASHBOARD_CURVES", 5_000),
  reps: num("BENCH_DASHBOARD_REPS", 5),
  small: num("BENCH_DASHBOARD_SMALL", 5_000),
  optuna: num("BENCH_DASHBOARD_OPTUNA", 1) !== 0,
  timeoutMs: num("BENCH_DASHBOARD_TIMEOUT_S", 120) * 1000,
  seed: 20_260_105,
  filters: ["lr<0.01", "lr<0.01 optimizer=adam", "phase=EarlyStopped"],
  venv: process.env.HYPERTUNE_DASHBOARD_VENV ?? join(homedir(), ".cache/hypertune/dashboard-venv"),
  out: resolve(process.env.BENCH_OUT ?? join(repoRoot, "bench", "results", "dashboard.md")),
};
const FILTER = config.filters[0] as string;

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join("/");
const log = (line: string) => process.stderr.write(`[bench:dashboard] ${line}\n`);

/** The cold server's parts, each in a fresh process (see server-parts.ts). */
function serverParts(root: string, job: string, reps: number): ServerParts[] {
  const part = (mode: string) =>
    JSON.parse(
      execFileSync(
        process.execPath,
        ["--import", "tsx", join(import.meta.dirname, "server-parts.ts"), root, job, mode],
        { cwd: repoRoot, encoding: "utf8" },
      ),
    ) as ServerParts;
  return Array.from({ length: reps }, () => ({ ...part("view"), ...pick(part("importance")) }));
}
const pick = ({ importanceMs }: ServerParts) => ({ importanceMs });

function optunaReady(): string | undefined {
  try {
    execFileSync("bash", [join(import.meta.dirname, "setup.sh")], {
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, HYPERTUNE_DASHBOARD_VENV: config.venv },
    });
    return undefined;
  } catch (error) {
    return `could not install optuna-dashboard (${(error as Error).message.split("\n")[0]})`;
  }
}

async function main(): Promise<void> {
  const loadBefore = load();
  const work = mkdtempSync(join(tmpdir(), "hypertune-bench-dashboard-"));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: process.getuid?.() === 0 ? ["--no-sandbox"] : [],
  });
  const chromiumVersion = browser.version();
  const notInstalled = config.optuna ? optunaReady() : "not run (BENCH_DASHBOARD_OPTUNA=0)";
  const runs: SizeRun[] = [];
  let parts: ServerParts[] = [];
  try {
    const sizes = [{ trials: config.trials, curves: config.curves, reps: config.reps, label: "main" }];
    if (config.small > 0) {
      const curves = Math.round((config.small * config.curves) / config.trials);
      sizes.push({ trials: config.small, curves, reps: 3, label: "small" });
    }
    for (const { trials, curves, reps, label } of sizes) {
      const root = join(work, `state-${trials}`);
      log(`writing a synthetic job of ${trials} trials (${curves} with intermediate values)`);
      const job = writeSyntheticJob({ root, name: `bench-${trials}`, trials, curves, seed: config.seed });
      if (label === "main") {
        log("timing the cold server's parts in fresh processes");
        parts = serverParts(root, job.name, 3);
      }
      const hypertune = await runHypertune(browser, root, job.name, {
        reps,
        filters: config.filters,
        ...(label === "main" && { reportPath: join(work, `report-${trials}.html`) }),
        log,
      });
      let optuna: OptunaResult | string | undefined = notInstalled;
      if (!notInstalled) {
        try {
          optuna = await runOptuna(browser, {
            venv: config.venv,
            jobDir: job.dir,
            workDir: work,
            // At the large size one try says it; repeated two-minute waits would not say more.
            reps: label === "main" ? Math.min(3, reps) : reps,
            toggles: 2,
            timeoutMs: config.timeoutMs,
            log,
          });
        } catch (error) {
          optuna = `failed: ${(error as Error).message.split("\n")[0]}`;
          log(optuna);
        }
      }
      runs.push({ job, hypertune, optuna });
    }
  } finally {
    await browser.close();
  }

  const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
    cwd: repoRoot,
    encoding: "utf8",
  }).trim();
  const dirty = execFileSync("git", ["status", "--porcelain", "--", "src", "bench"], {
    cwd: repoRoot,
    encoding: "utf8",
  }).trim();
  const optunaDashboard = (() => {
    try {
      return execFileSync(
        join(config.venv, "bin", "python"),
        ["-c", "import optuna_dashboard as d; print(d.__version__)"],
        {
          encoding: "utf8",
        },
      ).trim();
    } catch {
      return "—";
    }
  })();
  const [main, small] = runs as [SizeRun, SizeRun | undefined];
  const sections = [
    "## Environment",
    environmentTable({
      date: new Date().toISOString(),
      commit: dirty ? `${commit} + uncommitted changes` : commit,
      node: process.version,
      chromium: chromiumVersion,
      optunaDashboard,
      cores: availableParallelism(),
      loadBefore,
      loadAfter: load(),
      viewport: `${VIEWPORT.width}×${VIEWPORT.height}`,
    }),
    `Chromium headless (software raster), viewport ${VIEWPORT.width}×${VIEWPORT.height}. Every open is a fresh browser context; "painted" is the first frame after the draw (requestAnimationFrame, then a task), which is when Chromium has rasterised the canvases.`,
    `## Synthetic job (${main.job.trials} trials, seed ${config.seed})`,
    jobTable(main.job),
    `## hypertune vs optuna-dashboard, ${main.job.trials} trials`,
    comparisonTable(main, FILTER),
    "## Aims",
    aimsTable(main, FILTER),
    "## Where an open's time goes (hypertune)",
    breakdownTable(main.hypertune),
    "The cold server's first answer, by part (fresh processes, as the server's; medians of 3):",
    serverPartsTable(parts),
    "## Each panel's draw (hypertune, script time)",
    panelTable(main.hypertune, FILTER),
    "## Filters (hypertune)",
    filtersTable(main.hypertune),
  ];
  if (small)
    sections.push(
      `## hypertune vs optuna-dashboard, ${small.job.trials} trials`,
      jobTable(small.job),
      comparisonTable(small, FILTER),
    );
  const errors = runs.flatMap((r) => [
    ...r.hypertune.pageErrors,
    ...(typeof r.optuna === "object" ? r.optuna.pageErrors : []),
  ]);
  if (errors.length) sections.push("## Page errors", [...new Set(errors)].map((e) => `- ${e}`).join("\n"));
  const markdown = `${sections.join("\n\n")}\n`;
  process.stdout.write(markdown);
  mkdirSync(dirname(config.out), { recursive: true });
  writeFileSync(
    config.out.replace(/\.md$/, ".json"),
    `${JSON.stringify({ config, parts, runs: runs.map((r) => ({ ...r, job: { ...r.job, spec: undefined } })) }, null, 2)}\n`,
  );
  writeFileSync(
    config.out,
    `# Dashboard benchmark\n\nWritten by \`npm run bench:dashboard\` (bench/dashboard/).\n\n${markdown}`,
  );
  log(`tables in ${config.out}`);
  if (process.env.BENCH_KEEP === "1") log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
