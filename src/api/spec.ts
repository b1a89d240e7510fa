import { z } from "zod";
import { DURATION_PATTERN } from "./duration.js";
import { Parameter } from "./parameters.js";

/** Search strategies the engine knows; `Auto` picks one per space and budget. */
export const STRATEGIES = ["Auto", "Grid", "Random", "Sobol", "TPE", "Bayesian", "CMAES", "NSGA2"] as const;
export const EARLY_STOPPING_RULES = ["None", "Median", "ASHA", "Hyperband"] as const;

/** The key that carries a report's step (`step=3`, `{"step": 3}`); it can never be a metric's name. */
export const STEP_KEY = "step";

const metricName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z_][A-Za-z0-9_.\-/]*$/)
  .describe("Metric name as the trial reports it.");
const direction = z.enum(["Minimize", "Maximize"]).describe("Whether smaller or larger values are better.");
const reduction = z
  .enum(["Last", "Min", "Max"])
  .describe(
    "How a trial's reported values of the metric become its result: the last one reported (default), or the smallest or largest.",
  );
const duration = (what: string) =>
  z
    .string()
    .min(2)
    .max(32)
    .regex(new RegExp(DURATION_PATTERN), "must be a duration such as 90s, 30m, 2h or 1h30m")
    .describe(`${what} Written like 90s, 30m, 2h, 1h30m.`);

/**
 * What defines the search cannot change once the job exists: its trials were
 * measured against it. A CEL transition rule refuses such an edit at
 * admission (GitOps tools show the message); limits, suspend, early stopping
 * and the trial template stay editable.
 */
const fixedOnceCreated = (field: string) => ({
  rule: "self == oldSelf",
  message: `${field} cannot change once the TuningJob exists (its trials were measured against it): create a new TuningJob, with search.warmStartFrom naming this one to reuse its trials`,
});

export const ObjectiveMetric = z
  .strictObject({ name: metricName, direction, reduction: reduction.optional() })
  .describe("One objective of a multi-objective search.");

export const Objective = z
  .strictObject({
    metric: metricName.optional().describe("The metric to optimise (or use `metrics` for several)."),
    direction: direction.optional(),
    reduction: reduction.optional(),
    target: z
      .number()
      .optional()
      .describe("Optional goal: the job completes as soon as a trial's result reaches it."),
    metrics: z
      .array(ObjectiveMetric)
      .min(2)
      .max(8)
      .optional()
      .describe("Several objectives, optimised together; the status then keeps the Pareto front."),
  })
  .describe("What the search optimises.")
  .meta({
    "x-kubernetes-validations": [
      { rule: "has(self.metric) != has(self.metrics)", message: "set exactly one of metric and metrics" },
      { rule: "!has(self.metric) || has(self.direction)", message: "direction is required with metric" },
      fixedOnceCreated("objective"),
    ],
  });

export const MetricDefinition = z
  .strictObject({
    name: metricName,
    regex: z
      .string()
      .min(1)
      .max(1024)
      .describe("A regular expression with exactly one capture group: the value."),
  })
  .describe("A custom way to read one metric from a trial's output.");

export const MetricsCollection = z
  .strictObject({
    collector: z
      .enum(["Stdout", "File", "TerminationMessage"])
      .default("Stdout")
      .describe(
        "Where metrics are read: the primary container's output (Stdout), a file tailed by a sidecar (File), " +
          "or the container's termination message (TerminationMessage, final values only).",
      ),
    filePath: z
      .string()
      .min(1)
      .max(1024)
      .default("/var/run/hypertune/metrics.log")
      .describe("For the File collector: the file the training code writes metric lines to."),
    additional: z
      .array(metricName)
      .max(32)
      .default([])
      .describe("Further metrics to record besides the objective."),
    definitions: z
      .array(MetricDefinition)
      .max(32)
      .default([])
      .describe("Regular expressions for output that is not in the name=value or JSON form."),
  })
  .describe("How metrics are read from a trial.");

export const Search = z
  .strictObject({
    strategy: z
      .enum(STRATEGIES)
      .default("Auto")
      .describe(
        "The search strategy: Auto (picks per space and budget), Grid, Random, Sobol (quasi-random), " +
          "TPE (tree-structured Parzen estimator), Bayesian (Gaussian process), CMAES, or NSGA2 (several objectives).",
      ),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional()
      .describe("Seed of the strategy's random choices; chosen once and recorded when omitted."),
    shuffleGrid: z
      .boolean()
      .default(false)
      .describe("Grid only: visit the grid points in a seeded random order instead of row by row."),
    startupTrials: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .optional()
      .describe(
        "Model-based strategies: quasi-random trials before the model is used; a default per strategy when omitted.",
      ),
    warmStartFrom: z
      .array(z.string().min(1).max(253))
      .max(16)
      .default([])
      .describe(
        "Names of earlier TuningJobs in the same namespace whose finished trials seed the model (same parameters and objective).",
      ),
  })
  .describe("How new trials' parameters are chosen.")
  .meta({ "x-kubernetes-validations": [fixedOnceCreated("search")] });

export const EarlyStopping = z
  .strictObject({
    rule: z.enum(EARLY_STOPPING_RULES).default("None").describe("The rule that stops unpromising trials."),
    minTrials: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(5)
      .describe("Median: trials that must have reported a step before any trial is stopped at it."),
    startStep: z
      .number()
      .int()
      .min(0)
      .default(1)
      .describe("No trial is stopped before it has reported this step."),
    minResource: z
      .number()
      .int()
      .min(1)
      .default(1)
      .describe("ASHA and Hyperband: the first rung, in steps (e.g. epochs); no trial is stopped before it."),
    maxResource: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        "The full budget of one trial in steps. ASHA and Hyperband: no rung at or past it; required for Hyperband. " +
          "Median: steps at or past it are never judged.",
      ),
    reductionFactor: z
      .number()
      .int()
      .min(2)
      .max(16)
      .default(3)
      .describe("ASHA and Hyperband: 1 in reductionFactor trials go on at each rung."),
  })
  .describe("Stopping trials that are unlikely to beat the best, judged on the (first) objective.");

/** Attempt numbers stay short enough for `<trial>-a<attempt>` to be a valid label value (≤ 63). */
export const MAX_PREEMPTION_RETRIES = 20;

export const Limits = z
  .strictObject({
    maxTrials: z.number().int().min(1).max(100_000).default(20).describe("Trials to run in all."),
    parallelism: z.number().int().min(1).max(1_000).default(1).describe("Trials running at once."),
    maxFailedTrials: z
      .number()
      .int()
      .min(0)
      .default(3)
      .describe("The job fails when more trials than this have failed."),
    maxPreemptionRetries: z
      .number()
      .int()
      .min(0)
      .max(MAX_PREEMPTION_RETRIES)
      .default(3)
      .describe(
        "A trial whose pod is disrupted (evicted, preempted, its node lost; locally: a SIGTERM the runner did not send) runs again with the same parameters up to this many times; after that it ends Preempted. Neither counts as failed.",
      ),
    maxDuration: duration("Wall-clock budget of the whole job.").optional(),
    maxGpuHours: z
      .number()
      .positive()
      .optional()
      .describe(
        "GPU budget of the whole job: trialTemplate.gpus × the wall hours each trial ran, from its first start (through any preemptions) to its end; reached, the job completes and stops its running trials.",
      ),
    trialTimeout: duration("Wall-clock limit of one trial.").optional(),
    stopAfterNoImprovement: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("Complete after this many finished trials in a row without a better result."),
  })
  .describe("Budget and completion criteria.")
  .meta({
    "x-kubernetes-validations": [
      {
        // Guarded with has(): the API server also checks rules against the `{}` default.
        rule: "!has(self.parallelism) || !has(self.maxTrials) || self.parallelism <= self.maxTrials",
        message: "parallelism must not exceed maxTrials",
      },
    ],
  });

export const TrialRetention = z
  .strictObject({
    keepBest: z
      .number()
      .int()
      .min(1)
      .max(1_000)
      .default(25)
      .describe(
        "Finished trials kept for their result: the best by the objective (several objectives: the whole Pareto front, then the next ranks up to this many).",
      ),
    keepLast: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(1_000)
      .describe(
        "The newest trials kept, by index; at least parallelism. Early stopping and stopAfterNoImprovement judge against the trials kept.",
      ),
  })
  .describe(
    "Deleting old finished Trials (and their Jobs) to keep a long job's objects few. The rest are counted, and a bounded sample of them still informs the strategy (status.retention).",
  );

export const TrialTemplate = z
  .strictObject({
    primaryContainer: z
      .string()
      .min(1)
      .max(63)
      .optional()
      .describe("The container that runs the training code; may be omitted when there is only one."),
    gpus: z
      .number()
      .int()
      .min(0)
      .max(64)
      .default(0)
      .describe("GPUs per trial, requested as limits[gpuResource] on the primary container."),
    gpuResource: z
      .string()
      .min(1)
      .max(253)
      .default("nvidia.com/gpu")
      .describe("Extended resource name of a GPU."),
    checkpoint: z
      .strictObject({
        volume: z
          .string()
          .min(1)
          .max(63)
          .describe(
            "A volume of the Job's pod template (e.g. a PersistentVolumeClaim) that outlives the pod.",
          ),
        mountPath: z
          .string()
          .regex(/^\//, "must be an absolute path")
          .max(1024)
          .default("/hypertune/checkpoint")
          .describe("Where the primary container sees its checkpoint directory."),
      })
      .optional()
      .describe(
        "Checkpoints that survive preemption: the volume is mounted on the primary container with subPath = the trial's name, the same for every attempt, and HYPERTUNE_CHECKPOINT_DIR names it.",
      ),
    job: z
      .looseObject({})
      .describe(
        "A batch/v1 JobSpec for one trial. Strings of the primary container may use ${params.NAME}, ${trial.name} and ${trial.index}.",
      )
      .meta({ "x-kubernetes-preserve-unknown-fields": true }),
  })
  .describe("The workload of one trial.");

export const TuningJobSpec = z
  .strictObject({
    objective: Objective,
    metrics: MetricsCollection.prefault({}),
    parameters: z
      .array(Parameter)
      .min(1)
      .max(64)
      .describe("The search space.")
      .meta({
        "x-kubernetes-validations": [
          {
            rule: "self.all(p, self.exists_one(q, q.name == p.name))",
            message: "parameter names must be unique",
          },
          fixedOnceCreated("parameters"),
        ],
      }),
    search: Search.prefault({}),
    earlyStopping: EarlyStopping.prefault({}),
    limits: Limits.prefault({}),
    suspend: z.boolean().default(false).describe("Pause the job: no new trials start; running ones finish."),
    trialRetention: TrialRetention.optional(),
    trialTemplate: TrialTemplate,
  })
  .describe("A hyperparameter search.")
  .meta({
    "x-kubernetes-validations": [
      {
        rule: "!has(self.search) || !has(self.search.strategy) || self.search.strategy != 'Grid' || self.parameters.all(p, p.type != 'Float' || has(p.step))",
        message: "Grid needs a step on every Float parameter",
      },
    ],
  });

export type Objective = z.infer<typeof Objective>;
export type MetricsCollection = z.infer<typeof MetricsCollection>;
export type Search = z.infer<typeof Search>;
export type EarlyStopping = z.infer<typeof EarlyStopping>;
export type Limits = z.infer<typeof Limits>;
export type TrialTemplate = z.infer<typeof TrialTemplate>;
export type TrialRetention = z.infer<typeof TrialRetention>;
export type TuningJobSpec = z.infer<typeof TuningJobSpec>;
export type StrategyName = (typeof STRATEGIES)[number];
