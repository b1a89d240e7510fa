import { z } from "zod";

export const TRIAL_PHASES = [
  "Pending",
  "Running",
  "Succeeded",
  "Failed",
  "EarlyStopped",
  "MetricsUnavailable",
  /** Disrupted (evicted, preempted, its node lost) once more than limits.maxPreemptionRetries times. */
  "Preempted",
] as const;
export type TrialPhase = (typeof TRIAL_PHASES)[number];

export const JOB_PHASES = ["Pending", "Running", "Suspended", "Complete", "Failed", "Invalid"] as const;
export type JobPhase = (typeof JOB_PHASES)[number];

const time = z.string().describe("RFC 3339 time.");
const metricValues = z
  .record(z.string(), z.number())
  .describe("Metric values by name, each reduced from the trial's reports.");
const parameterValues = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
  .describe("Parameter values by name.")
  .meta({ "x-kubernetes-preserve-unknown-fields": true });

export const Condition = z
  .looseObject({
    type: z.string().describe("Condition type: Ready, Running, Complete, Failed, Invalid or Suspended."),
    status: z.enum(["True", "False", "Unknown"]).describe("True, False or Unknown."),
    observedGeneration: z.number().int().optional().describe("The .metadata.generation it was set for."),
    lastTransitionTime: time.describe("When the status last changed."),
    reason: z.string().describe("CamelCase reason for the last transition."),
    message: z.string().describe("Human-readable details."),
  })
  .describe("A condition shaped like metav1.Condition.");

export const TrialSummary = z
  .looseObject({
    name: z.string().describe("Trial object name."),
    index: z.number().int().describe("Trial index within its job."),
    parameters: parameterValues,
    metrics: metricValues,
    objectiveValue: z.number().optional().describe("The trial's result for the (first) objective."),
  })
  .describe("A finished trial and its result.");

const count = (what: string) => z.number().int().min(0).default(0).describe(what);

export const TrialCounts = z
  .looseObject({
    created: count("Trials created so far."),
    active: count("Trials pending or running."),
    succeeded: count("Trials that finished with a result."),
    failed: count("Trials that failed."),
    earlyStopped: count("Trials stopped early."),
    metricsUnavailable: count("Trials that finished without reporting the objective."),
    preempted: count("Trials disrupted more often than limits.maxPreemptionRetries (not counted as failed)."),
  })
  .describe("Trial counts by phase.");

export const RetiredTrial = z
  .looseObject({
    index: z.number().int().describe("Trial index within its job."),
    phase: z.enum(TRIAL_PHASES).describe("How the trial ended."),
    parameters: parameterValues,
    metrics: metricValues,
  })
  .describe("A retired trial's result, as the strategies learn from it.");

export const RetentionStatus = z
  .looseObject({
    below: count("Every trial with an index below this is retired, unless listed in kept."),
    kept: z
      .array(z.number().int())
      .default([])
      .describe("Indices below `below` whose Trials are kept: the best, and trials still running."),
    retired: z
      .looseObject({
        succeeded: count("Retired trials that finished with a result."),
        failed: count("Retired trials that failed."),
        earlyStopped: count("Retired trials stopped early."),
        metricsUnavailable: count("Retired trials that finished without the objective."),
        preempted: count("Retired trials preempted more often than limits.maxPreemptionRetries."),
      })
      .prefault({})
      .describe("Retired trials by phase."),
    stride: z
      .number()
      .int()
      .min(1)
      .default(1)
      .describe("The sample holds the retired trials whose index is a multiple of this."),
    sample: z
      .array(RetiredTrial)
      .default([])
      .describe(
        "An even sample of the retired trials, at most 256 entries and 16 KiB: every status write carries it.",
      ),
    gpuSeconds: z
      .number()
      .min(0)
      .optional()
      .describe("GPU seconds the retired trials used (limits.maxGpuHours counts them)."),
    worstLosses: z
      .array(z.number())
      .optional()
      .describe("Per objective, the worst result retired, as a loss: the hypervolume's reference needs it."),
  })
  .describe("spec.trialRetention's record of the Trials deleted so far.");

export const TuningJobStatus = z
  .looseObject({
    observedGeneration: z.number().int().optional().describe("The .metadata.generation last acted on."),
    phase: z.enum(JOB_PHASES).optional().describe("Summary of the conditions, for printer columns."),
    conditions: z
      .array(Condition)
      .optional()
      .describe(
        "Current state: Ready (a summary for GitOps tools), Running, Complete, Failed, Invalid, Suspended.",
      )
      .meta({ "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["type"] }),
    trials: TrialCounts.optional(),
    progress: z.string().optional().describe("Finished trials out of maxTrials, e.g. 12/60."),
    seed: z.number().int().optional().describe("The seed in use (the spec's, or the one chosen)."),
    strategy: z
      .string()
      .optional()
      .describe(
        "The strategy in use: the spec's, or what Auto chose on the first plan, kept from then on (a raised maxTrials does not switch it).",
      ),
    bestTrial: TrialSummary.optional(),
    paretoHypervolume: z
      .number()
      .optional()
      .describe(
        "Hypervolume of the Pareto front, against a reference just beyond the worst value seen per objective (comparable within one job).",
      ),
    paretoFront: z
      .array(TrialSummary)
      .optional()
      .describe("Non-dominated trials when there are several objectives."),
    retention: RetentionStatus.optional(),
    startTime: time.optional(),
    completionTime: time.optional(),
    message: z.string().optional().describe("What is happening, in words."),
  })
  .describe("Observed state of the TuningJob.");

export const MetricReportSchema = z
  .object({
    step: z.number().int().optional().describe("Training step or epoch of the report."),
    values: metricValues,
  })
  .describe("One intermediate report.");

export const Preemption = z
  .looseObject({
    attempt: z.number().int().min(1).describe("The attempt that was disrupted."),
    reason: z
      .string()
      .describe(
        "The pod's DisruptionTarget reason (EvictionByEvictionAPI, PreemptionByScheduler…) or the signal.",
      ),
    message: z.string().describe("Details, in words."),
    time: time.describe("When the disruption was noticed."),
  })
  .describe("One disruption of a trial's workload.");

export const TrialStatus = z
  .looseObject({
    phase: z
      .enum(TRIAL_PHASES)
      .optional()
      .describe("Pending, Running, Succeeded, Failed, EarlyStopped, MetricsUnavailable or Preempted."),
    metrics: metricValues.optional(),
    objectiveValue: z.number().optional().describe("The result for the (first) objective."),
    history: z
      .array(MetricReportSchema)
      .max(1000)
      .optional()
      .describe("Intermediate reports: up to 100, thinned evenly over the run when there were more."),
    jobName: z.string().optional().describe("The batch/v1 Job running the trial (its current attempt)."),
    attempt: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("Which run of the trial this is: 1, then one more after each preemption."),
    earlierHistory: z
      .array(MetricReportSchema)
      .max(1000)
      .optional()
      .describe("The reports of the attempts before this one, merged by step (`history` includes them)."),
    preemptions: z
      .array(Preemption)
      .max(32)
      .optional()
      .describe("Each time the trial's pod was disrupted, oldest first."),
    startTime: time.optional(),
    completionTime: time.optional(),
    reason: z.string().optional().describe("CamelCase reason for the phase."),
    message: z.string().optional().describe("Details, e.g. rejected metric lines."),
    stopRequested: z.boolean().optional().describe("The job asked the trial to stop early."),
  })
  .describe("Observed state of the Trial.");

export const TrialSpec = z
  .strictObject({
    tuningJob: z.string().min(1).max(253).describe("Name of the owning TuningJob."),
    index: z.number().int().min(0).describe("Position of the trial in its job's search."),
    parameters: parameterValues,
    stop: z
      .strictObject({
        reason: z
          .enum(["EarlyStopped", "JobFinished"])
          .describe(
            "EarlyStopped: an early-stopping rule judged the trial hopeless; JobFinished: the job ended.",
          ),
        message: z.string().max(1024).describe("Why, in words."),
        step: z
          .number()
          .int()
          .min(0)
          .optional()
          .describe("The step the decision was made at: later reports are not part of the trial's result."),
      })
      .optional()
      .describe("Set by the TuningJob controller to ask the trial to stop; its Job is then deleted."),
  })
  .describe("One evaluation of the training code.");

export type Condition = z.infer<typeof Condition>;
export type TrialSummary = z.infer<typeof TrialSummary>;
export type TuningJobStatus = z.infer<typeof TuningJobStatus>;
export type RetentionStatus = z.infer<typeof RetentionStatus>;
export type RetiredTrial = z.infer<typeof RetiredTrial>;
export type TrialStatus = z.infer<typeof TrialStatus>;
export type Preemption = z.infer<typeof Preemption>;
export type TrialSpec = z.infer<typeof TrialSpec>;
