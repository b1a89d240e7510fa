import { z } from "zod";

/** Parameter names double as environment-variable suffixes, so they must be identifiers. */
export const PARAMETER_NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_]*$";

const name = z
  .string()
  .min(1)
  .max(63)
  .regex(new RegExp(PARAMETER_NAME_PATTERN))
  .describe("Parameter name; used in ${params.NAME} and as HYPERTUNE_PARAM_<NAME>.");

const scalar = z
  .union([z.string().max(253), z.number(), z.boolean()])
  .describe("A category: a string, a number or a boolean.");

const when = z
  .record(z.string(), scalar.describe("A value of the named parameter: a string, a number or a boolean."))
  .describe(
    "Makes the parameter conditional: it is active only when every named parameter (declared earlier) " +
      'has the given value (compared as text, so 3 and "3" are the same). Inactive parameters are left out of a trial.',
  )
  .optional();

export const FloatParameter = z
  .strictObject({
    name,
    type: z.literal("Float").describe("A real number in [min, max]."),
    min: z.number().describe("Lower bound (inclusive)."),
    max: z.number().describe("Upper bound (inclusive)."),
    scale: z
      .enum(["Linear", "Log", "ReverseLog"])
      .default("Linear")
      .describe(
        "How values are spread: Linear uniformly; Log uniformly in log space (min > 0); " +
          "ReverseLog densely near 1, with 1 - value uniform in log space (0 < min < max < 1), e.g. a momentum.",
      ),
    step: z.number().positive().optional().describe("Optional quantisation step; values are min + k*step."),
    when,
  })
  .describe("A continuous parameter.");

export const IntParameter = z
  .strictObject({
    name,
    type: z.literal("Int").describe("An integer in [min, max]."),
    min: z.number().int().describe("Lower bound (inclusive)."),
    max: z.number().int().describe("Upper bound (inclusive)."),
    scale: z
      .enum(["Linear", "Log"])
      .default("Linear")
      .describe("How values are spread: Linear uniformly, Log uniformly in log space (min > 0)."),
    step: z.number().int().positive().default(1).describe("Distance between allowed values."),
    when,
  })
  .describe("An integer parameter.");

export const CategoricalParameter = z
  .strictObject({
    name,
    type: z.literal("Categorical").describe("One of an unordered set of values."),
    values: z.array(scalar).min(1).max(1000).describe("The categories (strings, numbers or booleans)."),
    when,
  })
  .describe("An unordered choice.");

export const DiscreteParameter = z
  .strictObject({
    name,
    type: z.literal("Discrete").describe("One of an ordered list of numbers."),
    values: z.array(z.number()).min(1).max(1000).describe("The allowed numbers, in any order."),
    when,
  })
  .describe("An ordered choice among numbers.");

export const Parameter = z
  .discriminatedUnion("type", [FloatParameter, IntParameter, CategoricalParameter, DiscreteParameter])
  .describe("One dimension of the search space: type Float, Int, Categorical or Discrete.")
  .meta({
    "x-kubernetes-validations": [
      {
        rule: "self.type in ['Categorical', 'Discrete'] || (has(self.min) && has(self.max))",
        message: "Float and Int parameters need min and max",
      },
      // `values` holds scalars of several types, which CEL cannot type, so its presence
      // for Categorical and Discrete parameters is checked by the operator instead.
      {
        rule: "!has(self.min) || !has(self.max) || self.max > self.min",
        message: "max must be greater than min",
      },
      {
        rule: "!has(self.scale) || self.scale == 'Linear' || !has(self.min) || self.min > 0",
        message: "Log and ReverseLog scales need min > 0",
      },
      {
        rule: "!has(self.scale) || self.scale != 'ReverseLog' || !has(self.max) || self.max < 1",
        message: "ReverseLog scale needs max < 1",
      },
    ],
  });

export type FloatParameter = z.infer<typeof FloatParameter>;
export type IntParameter = z.infer<typeof IntParameter>;
export type CategoricalParameter = z.infer<typeof CategoricalParameter>;
export type DiscreteParameter = z.infer<typeof DiscreteParameter>;
export type Parameter = z.infer<typeof Parameter>;
export type ParameterValue = string | number | boolean;
/** A trial's parameters; inactive conditional parameters are absent. */
export type ParameterValues = Record<string, ParameterValue>;

/**
 * Whether a parent's value meets a `when` clause. Compared as text, as in
 * `${params.NAME}`: a parent's values are unique as text (see the rules), so
 * `when: {degree: 3}` and `when: {degree: "3"}` mean the same and match one value.
 */
export function meetsCondition(parentValue: ParameterValue, wanted: ParameterValue): boolean {
  return String(parentValue) === String(wanted);
}

/** The environment variable a parameter is passed in. */
export function parameterEnvName(name: string): string {
  return `HYPERTUNE_PARAM_${name.toUpperCase()}`;
}
