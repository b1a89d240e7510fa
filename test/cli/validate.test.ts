import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { REPO, runCli, runMain, tempDir } from "./helpers.js";

const INVALID = "test/cli/fixtures/invalid";

/** Each invalid fixture and the line `validate` must print for it (after "FILE"). */
const EXPECTED: Record<string, string> = {
  "max-below-min.yaml": ": spec.parameters[0]: max (0.1) must be greater than min (0.3)",
  "unknown-placeholder.yaml": ": spec.trialTemplate.job: ${params.x} names an unknown parameter",
  "when-missing-parameter.yaml":
    ': spec.parameters[1].when: names parameter "booster", which is not declared before',
  "when-missing-value.yaml": ': spec.parameters[2].when: "linear" is not a value of "booster"',
  "grid-float-without-step.yaml": ': spec.parameters[0]: Grid needs a step for Float parameter "lr"',
  "parallelism-over-max-trials.yaml": ": spec.limits: parallelism (5) must not exceed maxTrials (2)",
  "missing-primary-container.yaml": ': spec.trialTemplate.job: primaryContainer "train" is not among',
  "syntax-error.yaml": ":8:3: Flow map in block collection must be sufficiently indented",
};

describe("hypertune validate", () => {
  test("a folder of invalid specs: every file fails with the expected path", async () => {
    expect(readdirSync(join(REPO, INVALID)).sort()).toEqual(Object.keys(EXPECTED).sort());
    const result = await runCli(["validate", INVALID]);
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split("\n");
    for (const [file, expected] of Object.entries(EXPECTED)) {
      const prefix = `${INVALID}/${file}`;
      const mine = lines.filter((l) => l.startsWith(prefix));
      expect(mine, result.stdout).toHaveLength(1);
      expect(mine[0]).toContain(`${prefix}${expected}`);
    }
  });

  test("the examples are valid", async () => {
    const result = await runCli(["validate", "examples/quickstart/tuningjob.yaml", "examples/sklearn"]);
    expect(result.stdout).toBe(
      "examples/quickstart/tuningjob.yaml: ok\nexamples/sklearn/tuningjob.yaml: ok\n",
    );
    expect(result.code).toBe(0);
  });

  test("a GitOps folder: other kinds are skipped with a note; a folder without a TuningJob fails", async () => {
    const dir = tempDir();
    const job = readFileSync(join(REPO, "examples/quickstart/tuningjob.yaml"), "utf8");
    writeFileSync(
      join(dir, "deployment.yaml"),
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n",
    );
    writeFileSync(
      join(dir, "kustomization.yaml"),
      "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [job.yaml]\n",
    );
    writeFileSync(
      join(dir, "job.yaml"),
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n---\n${job}`,
    );
    const result = await runCli(["validate", dir]);
    expect(result.stdout).toBe(
      [
        `${dir}/deployment.yaml: note: apps/v1 Deployment "web" is not a TuningJob (hypertune.dev), skipped`,
        `${dir}/job.yaml: note: document 1: v1 ConfigMap "cfg" is not a TuningJob (hypertune.dev), skipped`,
        `${dir}/job.yaml: ok`,
        `${dir}/kustomization.yaml: note: kustomize.config.k8s.io/v1beta1 Kustomization is not a TuningJob (hypertune.dev), skipped`,
        "",
      ].join("\n"),
    );
    expect(result.code).toBe(0);

    rmSync(join(dir, "job.yaml"));
    const none = await runCli(["validate", dir]);
    expect(none.code).toBe(1);
    expect(none.stdout).toContain(`${dir}: holds no TuningJob (apiVersion hypertune.dev/…, kind TuningJob)`);
  });

  test("one bad file among good ones fails the whole run; a missing file is a problem too", async () => {
    const result = await runCli(["validate", "examples/quickstart/tuningjob.yaml", "nope.yaml"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("nope.yaml: no such file");
  });
});

describe("command line", () => {
  test("unknown commands and flags exit 2 with a message", async () => {
    const unknown = await runMain(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const flag = await runMain(["run", "examples/quickstart/tuningjob.yaml", "--max-trails", "3"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("--max-trails");
    const badNumber = await runMain(["run", "examples/quickstart/tuningjob.yaml", "--parallelism", "two"]);
    expect(badNumber.code).toBe(2);
    expect(badNumber.stderr).toContain("--parallelism needs a whole number");
  });

  test("limits given as flags are held to the schema's bounds, as in the file", async () => {
    const args = ["run", "examples/quickstart/tuningjob.yaml", "--state-dir", tempDir()];
    const result = await runMain([...args, "--max-trials", "5000000", "--parallelism", "5000"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--max-trials 5000000: spec\.limits\.maxTrials: .*100000/);
    expect(result.stderr).toMatch(/--parallelism 5000: spec\.limits\.parallelism: .*1000/);
  });

  test("help for every command, and version", async () => {
    const overview = await runMain(["--help"]);
    expect(overview.code).toBe(0);
    for (const name of ["run", "validate", "crds", "version"]) {
      expect(overview.stdout).toContain(`  ${name}`);
      const viaHelp = await runMain(["help", name]);
      const viaFlag = await runMain([name, "--help"]);
      expect(viaHelp.code).toBe(0);
      expect(viaHelp.stdout).toMatch(new RegExp(`^Usage: hypertune ${name}`));
      expect(viaFlag.stdout).toBe(viaHelp.stdout);
    }
    const version = await runMain(["version"]);
    const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string };
    expect(version.stdout).toContain(`hypertune ${pkg.version}`);
  });

  test("run refuses an invalid spec with exit 2", async () => {
    const result = await runCli(["run", `${INVALID}/max-below-min.yaml`, "--state-dir", tempDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("spec.parameters[0]: max (0.1) must be greater than min (0.3)");
  });

  test("crds prints both CRDs; --out writes them", async () => {
    const printed = await runMain(["crds"]);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain("name: tuningjobs.hypertune.dev");
    expect(printed.stdout).toContain("name: trials.hypertune.dev");
    const out = tempDir();
    const written = await runMain(["crds", "--out", out]);
    expect(written.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["trials.hypertune.dev.yaml", "tuningjobs.hypertune.dev.yaml"]);
  });
});
