/** The accumulator a TuningJob's spec asks for: its declared metrics, its regexes, its objectives' reductions. */
import { declaredMetricNames, objectivesOf, type TuningJobSpec } from "../../api/index.js";
import { createReportAccumulator, type ReportAccumulator } from "../../metrics/accumulator.js";
import { createMetricParser } from "../../metrics/index.js";

export function accumulatorForSpec(spec: TuningJobSpec, historyLimit?: number): ReportAccumulator {
  const parser = createMetricParser({
    declared: declaredMetricNames(spec),
    definitions: spec.metrics.definitions,
  });
  const reductions = new Map(objectivesOf(spec).map((o) => [o.name, o.reduction]));
  return createReportAccumulator({
    parser,
    reductionOf: (name) => reductions.get(name) ?? "Last",
    ...(historyLimit !== undefined && { historyLimit }),
  });
}
