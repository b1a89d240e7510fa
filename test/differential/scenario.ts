// The differential test's TuningJobs: one document per collector, run as it
// is by `hypertune run` and by the operator on the test cluster. The trainer
// is a deterministic `node -e` script (node is on the host and in the
// operator image), so the same YAML means the same trials on both.
import { nodeTestImages } from "../cluster/node/test-images.js";
import type { Json } from "../support/tuningjob-api.js";

export const COLLECTORS = ["Stdout", "File", "TerminationMessage"] as const;
export type Collector = (typeof COLLECTORS)[number];

/**
 * Reports accuracy (maximised) and cost (minimised) at steps 1–4, with a
 * pause after each report that early stopping judges (steps before
 * maxResource), so that a stop lands while the trial still runs, on either
 * backend. Boosted trials with x > 0.65 and
 * boost > 1.5 fail after step 1; `--boost` only exists for boosted trials (an inactive parameter's
 * argument must be left out, or the script exits 7); trials with x < 0.1 exit
 * 0 without the objective. Where the lines go follows the collector's
 * environment variable.
 */
export const TRAINER = `
const fs = require("node:fs");
const args = process.argv.slice(1);
const flag = (name) => args.find((a) => a.startsWith("--" + name + "="))?.split("=")[1];
const x = Number(flag("x"));
const kind = flag("kind");
if (kind === "plain" && args.some((a) => a.startsWith("--boost"))) { console.error("unexpected", args); process.exit(7); }
const boost = kind === "boosted" ? Number(flag("boost")) : 1;
const file = process.env.HYPERTUNE_METRICS_FILE;
const termination = process.env.HYPERTUNE_TERMINATION_MESSAGE_PATH;
const final = [];
const emit = (line) => {
  if (file) fs.appendFileSync(file, line + "\\n");
  else if (termination) final.push(line);
  else console.log(line);
};
const end = (code) => { if (termination) fs.writeFileSync(termination, final.join("\\n")); process.exit(code); };
const pause = Number(process.env.PAUSE_MS);
let step = 0;
const tick = () => {
  step++;
  emit("step=" + step + " accuracy=" + (x * boost * step / 4).toFixed(4) + " cost=" + (boost * step).toFixed(2));
  if (x > 0.65 && boost > 1.5 && step === 1) return end(3);
  // Step 4 is maxResource: never judged, so no stop can be on its way.
  if (step === 4) return end(0);
  setTimeout(tick, pause);
};
if (x < 0.1) end(0);
else tick();
`;

/** The TuningJob for one collector; `pauseMs` is the trainer's pause after each report. */
export function differentialJob(collector: Collector, pauseMs: number): Json {
  return {
    apiVersion: "hypertune.dev/v1alpha1",
    kind: "TuningJob",
    metadata: { name: `diff-${collector.toLowerCase()}` },
    spec: {
      objective: {
        metrics: [
          { name: "accuracy", direction: "Maximize" },
          { name: "cost", direction: "Minimize" },
        ],
      },
      metrics: { collector },
      parameters: [
        { name: "x", type: "Float", min: 0, max: 1 },
        { name: "kind", type: "Categorical", values: ["plain", "boosted"] },
        { name: "boost", type: "Float", min: 1, max: 2, when: { kind: "boosted" } },
      ],
      search: { strategy: "Random", seed: SEED },
      earlyStopping: { rule: "Median", minTrials: 2, startStep: 2, maxResource: 4 },
      limits: { maxTrials: 6, parallelism: 1, maxFailedTrials: 6 },
      trialTemplate: {
        job: {
          template: {
            spec: {
              restartPolicy: "Never",
              securityContext: {
                runAsNonRoot: true,
                runAsUser: 1000,
                runAsGroup: 1000,
                seccompProfile: { type: "RuntimeDefault" },
              },
              containers: [
                {
                  name: "train",
                  image: nodeTestImages.operator,
                  command: ["node", "-e", TRAINER, "--"],
                  args: ["--x=${params.x}", "--kind=${params.kind}", "--boost=${params.boost}"],
                  env: [{ name: "PAUSE_MS", value: String(pauseMs) }],
                  resources: { requests: { cpu: "50m", memory: "64Mi" } },
                  securityContext: {
                    allowPrivilegeEscalation: false,
                    readOnlyRootFilesystem: true,
                    capabilities: { drop: ["ALL"] },
                  },
                },
              ],
            },
          },
        },
      },
    },
  };
}

/** Draws (Random) that cover every way a trial ends and both kinds of trial in six trials. */
export const SEED = 52;
