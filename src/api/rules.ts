/**
 * Cross-field rules that a per-field schema cannot state. Each problem names
 * the path it is about (relative to `spec`) and the rule in words.
 */
import { parseDurationSeconds } from "./duration.js";
import { meetsCondition, type Parameter, type ParameterValue, parameterEnvName } from "./parameters.js";
import { STEP_KEY, type TuningJobSpec } from "./spec.js";
import {
  findPrimaryContainer,
  placeholdersIn,
  substitutableStrings,
  TRIAL_PLACEHOLDERS,
  templateVolumeNames,
} from "./template.js";

export interface SpecProblem {
  path: (string | number)[];
  message: string;
}

/** Largest grid the Grid strategy will enumerate. */
export const MAX_GRID_POINTS = 1_000_000;

export function specProblems(spec: TuningJobSpec): SpecProblem[] {
  return [
    ...objectiveProblems(spec),
    ...parameterProblems(spec.parameters),
    ...conditionProblems(spec.parameters),
    ...gridProblems(spec),
    ...limitProblems(spec),
    ...earlyStoppingProblems(spec),
    ...metricProblems(spec),
    ...reservedMetricNameProblems(spec),
    ...templateProblems(spec),
  ];
}

/** The metric names the job declares: objectives first, then additional ones. */
export function declaredMetricNames(spec: TuningJobSpec): string[] {
  const objectives = spec.objective.metrics?.map((m) => m.name) ?? [spec.objective.metric ?? ""];
  return [
    ...new Set([...objectives, ...spec.metrics.additional, ...spec.metrics.definitions.map((d) => d.name)]),
  ];
}

function objectiveProblems(spec: TuningJobSpec): SpecProblem[] {
  const o = spec.objective;
  const at = ["objective"];
  const problems: SpecProblem[] = [];
  if ((o.metric === undefined) === (o.metrics === undefined)) {
    problems.push({ path: at, message: "set exactly one of metric and metrics" });
  }
  if (o.metric !== undefined && o.direction === undefined) {
    problems.push({ path: at, message: "direction is required with metric" });
  }
  if (o.metrics !== undefined) {
    if (o.direction !== undefined || o.reduction !== undefined) {
      problems.push({ path: at, message: "with metrics, give direction and reduction per metric" });
    }
    if (o.target !== undefined) {
      problems.push({ path: at, message: "target applies to a single metric, not to several objectives" });
    }
    problems.push(
      ...duplicates(
        o.metrics.map((m) => m.name),
        [...at, "metrics"],
        "metric",
      ),
    );
  }
  return problems;
}

function parameterProblems(parameters: Parameter[]): SpecProblem[] {
  const problems = duplicates(
    parameters.map((p) => p.name),
    ["parameters"],
    "parameter",
  );
  problems.push(...envNameCollisions(parameters));
  parameters.forEach((p, i) => {
    const at = ["parameters", i];
    if (p.type === "Float" || p.type === "Int") {
      if (!(p.max > p.min))
        problems.push({ path: at, message: `max (${p.max}) must be greater than min (${p.min})` });
      if (p.scale !== "Linear" && p.min <= 0) {
        problems.push({ path: at, message: `${p.scale} scale needs min > 0 (got ${p.min})` });
      }
      // ReverseLog spreads 1 - value on a log scale, which needs 1 - value > 0 everywhere.
      if (p.scale === "ReverseLog" && p.max >= 1) {
        problems.push({ path: at, message: `ReverseLog scale needs max < 1 (got ${p.max})` });
      }
      if (p.step !== undefined && p.step > p.max - p.min && p.max > p.min) {
        problems.push({ path: at, message: `step (${p.step}) must not exceed max - min (${p.max - p.min})` });
      }
      if (p.type === "Float" && p.step !== undefined && p.scale !== "Linear") {
        problems.push({ path: at, message: "step applies to Linear scale only" });
      }
    } else {
      problems.push(...duplicates(p.values.map(String), [...at, "values"], "value"));
    }
  });
  return problems;
}

/** Names that differ only in case would overwrite each other's environment variable. */
function envNameCollisions(parameters: Parameter[]): SpecProblem[] {
  const firstByEnv = new Map<string, string>();
  const problems: SpecProblem[] = [];
  parameters.forEach((p, i) => {
    const env = parameterEnvName(p.name);
    const first = firstByEnv.get(env);
    if (first === undefined) firstByEnv.set(env, p.name);
    else if (first !== p.name) {
      problems.push({
        path: ["parameters", i],
        message: `parameters "${first}" and "${p.name}" would both be passed as ${env}; names must differ in more than case`,
      });
    }
  });
  return problems;
}

/**
 * Whether a discrete parent can take `value` (matched as `meetsCondition`
 * does at run time), with its values described for a message; undefined
 * when the parent is continuous.
 */
function parentTakes(
  parent: Parameter,
  value: ParameterValue,
): { takes: boolean; values: string } | undefined {
  if (parent.type === "Categorical" || parent.type === "Discrete") {
    const shown = parent.values.slice(0, 10).map(String).join(", ");
    return {
      takes: parent.values.some((v) => meetsCondition(v, value)),
      values: parent.values.length > 10 ? `${shown}, …` : shown,
    };
  }
  if (parent.type === "Int") {
    const n = Number(value);
    const takes =
      typeof value !== "boolean" &&
      Number.isInteger(n) &&
      meetsCondition(n, value) &&
      n >= parent.min &&
      n <= parent.max &&
      (n - parent.min) % parent.step === 0;
    const every = parent.step === 1 ? "" : ` in steps of ${parent.step}`;
    return { takes, values: `integers from ${parent.min} to ${parent.max}${every}` };
  }
  return undefined;
}

function conditionProblems(parameters: Parameter[]): SpecProblem[] {
  const problems: SpecProblem[] = [];
  parameters.forEach((p, i) => {
    for (const [parentName, value] of Object.entries(p.when ?? {})) {
      const at = ["parameters", i, "when"];
      const parentIndex = parameters.findIndex((q) => q.name === parentName);
      const parent = parameters[parentIndex];
      if (!parent || parentIndex >= i) {
        problems.push({
          path: at,
          message: `names parameter "${parentName}", which is not declared before "${p.name}"`,
        });
        continue;
      }
      const taken = parentTakes(parent, value);
      if (!taken) {
        problems.push({
          path: at,
          message: `"${parentName}" is continuous; conditions need a discrete parameter`,
        });
      } else if (!taken.takes) {
        problems.push({
          path: at,
          message: `${JSON.stringify(value)} is not a value of "${parentName}" (${taken.values})`,
        });
      }
    }
  });
  return problems;
}

/** Number of distinct values a parameter has on a grid, or undefined when it has no finite grid. */
export function gridCardinality(p: Parameter): number | undefined {
  switch (p.type) {
    case "Categorical":
    case "Discrete":
      return p.values.length;
    case "Int":
      return Math.floor((p.max - p.min) / p.step) + 1;
    case "Float":
      return p.step === undefined ? undefined : Math.floor((p.max - p.min) / p.step + 1e-9) + 1;
  }
}

function gridProblems(spec: TuningJobSpec): SpecProblem[] {
  if (spec.search.strategy !== "Grid") return [];
  const problems: SpecProblem[] = [];
  let size = 1;
  spec.parameters.forEach((p, i) => {
    const n = gridCardinality(p);
    if (n === undefined) {
      problems.push({
        path: ["parameters", i],
        message: `Grid needs a step for Float parameter "${p.name}"`,
      });
    } else {
      size *= n;
    }
  });
  if (problems.length === 0 && size > MAX_GRID_POINTS) {
    problems.push({
      path: ["search"],
      message: `the grid has ${readableCount(size)} points; at most ${readableCount(MAX_GRID_POINTS)} are allowed`,
    });
  }
  return problems;
}

/** 1,234,567 below 10^15 (exact in a double), else "about 7.2e23": never 7.178979876918526e+23. */
export function readableCount(n: number): string {
  if (!Number.isFinite(n)) return "more than 1e308";
  if (n < 1e15)
    return Math.round(n)
      .toString()
      .replace(/\B(?=(\d{3})+$)/g, ",");
  const [mantissa = "", exponent = ""] = n.toExponential(1).split("e");
  return `about ${mantissa}e${exponent.replace("+", "")}`;
}

function earlyStoppingProblems(spec: TuningJobSpec): SpecProblem[] {
  const e = spec.earlyStopping;
  const problems: SpecProblem[] = [];
  if (e.rule === "Hyperband" && e.maxResource === undefined) {
    problems.push({ path: ["earlyStopping"], message: "Hyperband needs maxResource" });
  }
  if (e.maxResource !== undefined && e.maxResource < e.minResource) {
    problems.push({
      path: ["earlyStopping"],
      message: `maxResource (${e.maxResource}) must not be below minResource (${e.minResource})`,
    });
  }
  return problems;
}

function limitProblems(spec: TuningJobSpec): SpecProblem[] {
  const l = spec.limits;
  const problems: SpecProblem[] = [];
  if (l.parallelism > l.maxTrials) {
    problems.push({
      path: ["limits"],
      message: `parallelism (${l.parallelism}) must not exceed maxTrials (${l.maxTrials})`,
    });
  }
  const keepLast = spec.trialRetention?.keepLast;
  if (keepLast !== undefined && keepLast < l.parallelism) {
    // Fewer would leave early stopping fewer finished peers than trials it judges.
    problems.push({
      path: ["trialRetention", "keepLast"],
      message: `keepLast (${keepLast}) must be at least parallelism (${l.parallelism})`,
    });
  }
  for (const key of ["maxDuration", "trialTimeout"] as const) {
    const text = l[key];
    if (text !== undefined && !((parseDurationSeconds(text) ?? 0) > 0)) {
      problems.push({
        path: ["limits", key],
        message: `"${text}" is not a positive duration such as 90s, 30m or 2h`,
      });
    }
  }
  return problems;
}

/** Number of capture groups in a regular expression source, or an error. */
export function captureGroups(source: string): number | string {
  try {
    return (new RegExp(`${source}|`).exec("")?.length ?? 1) - 1;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

function metricProblems(spec: TuningJobSpec): SpecProblem[] {
  const problems = duplicates(
    spec.metrics.definitions.map((d) => d.name),
    ["metrics", "definitions"],
    "metric",
  );
  spec.metrics.definitions.forEach((d, i) => {
    const groups = captureGroups(d.regex);
    if (typeof groups === "string") {
      problems.push({
        path: ["metrics", "definitions", i, "regex"],
        message: `invalid regular expression: ${groups}`,
      });
    } else if (groups !== 1) {
      problems.push({
        path: ["metrics", "definitions", i, "regex"],
        message: `must have exactly one capture group (has ${groups})`,
      });
    }
  });
  return problems;
}

/** Every place a metric is named, with its path; `step` is read as the step wherever a trial prints it. */
function reservedMetricNameProblems(spec: TuningJobSpec): SpecProblem[] {
  const named: [string | undefined, (string | number)[]][] = [
    [spec.objective.metric, ["objective", "metric"]],
    ...(spec.objective.metrics ?? []).map((m, i): [string, (string | number)[]] => [
      m.name,
      ["objective", "metrics", i, "name"],
    ]),
    ...spec.metrics.additional.map((name, i): [string, (string | number)[]] => [
      name,
      ["metrics", "additional", i],
    ]),
    ...spec.metrics.definitions.map((d, i): [string, (string | number)[]] => [
      d.name,
      ["metrics", "definitions", i, "name"],
    ]),
  ];
  return named
    .filter(([name]) => name === STEP_KEY)
    .map(([, path]) => ({
      path,
      message: `"${STEP_KEY}" is reserved: a trial's ${STEP_KEY}=N sets the step of its report, so it can never be read as a metric`,
    }));
}

function templateProblems(spec: TuningJobSpec): SpecProblem[] {
  const at = ["trialTemplate"];
  const found = findPrimaryContainer(spec.trialTemplate.job, spec.trialTemplate.primaryContainer);
  if ("error" in found) return [{ path: [...at, "job"], message: found.error }];
  const names = new Set(spec.parameters.map((p) => p.name));
  const problems: SpecProblem[] = [];
  for (const text of substitutableStrings(found.container)) {
    for (const [scope, name] of placeholdersIn(text)) {
      const known =
        scope === "params" ? names.has(name) : (TRIAL_PLACEHOLDERS as readonly string[]).includes(name);
      if (!known) {
        const what = scope === "params" ? "parameter" : "trial field";
        problems.push({ path: [...at, "job"], message: `\${${scope}.${name}} names an unknown ${what}` });
      }
    }
  }
  problems.push(...checkpointProblems(spec));
  return problems;
}

/** The checkpoint volume must be one the pod template declares. */
function checkpointProblems(spec: TuningJobSpec): SpecProblem[] {
  const checkpoint = spec.trialTemplate.checkpoint;
  if (!checkpoint) return [];
  const volumes = templateVolumeNames(spec.trialTemplate.job);
  if (volumes.includes(checkpoint.volume)) return [];
  const known = volumes.length > 0 ? ` (it has ${volumes.join(", ")})` : " (it has none)";
  return [
    {
      path: ["trialTemplate", "checkpoint", "volume"],
      message: `"${checkpoint.volume}" is not a volume of job.template.spec.volumes${known}`,
    },
  ];
}

function duplicates(names: string[], path: (string | number)[], what: string): SpecProblem[] {
  const seen = new Set<string>();
  const problems: SpecProblem[] = [];
  for (const name of names) {
    if (seen.has(name)) problems.push({ path, message: `duplicate ${what} "${name}"` });
    seen.add(name);
  }
  return problems;
}
