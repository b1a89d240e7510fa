/**
 * fast-check arbitraries for valid parameter lists: every type and scale,
 * optional steps, and `when` conditions on earlier discrete parameters.
 */
import fc from "fast-check";
import type { Parameter, ParameterValue } from "../../../src/api/index.js";

type Unnamed<T> = T extends Parameter ? Omit<T, "name" | "when"> : never;
type BaseParameter = Unnamed<Parameter>;

export interface ParameterListOptions {
  maxParameters?: number;
  /** Only types with a finite grid and at most four values each, so grids stay small. */
  gridFriendly?: boolean;
}

const finiteDouble = (min: number, max: number) =>
  fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

const floatLinear = (gridFriendly: boolean): fc.Arbitrary<BaseParameter> =>
  fc
    .record({
      min: finiteDouble(-1e3, 1e3),
      width: finiteDouble(1e-6, 1e3),
      stepFraction: gridFriendly
        ? finiteDouble(0.34, 1)
        : fc.option(finiteDouble(0.05, 1), { nil: undefined }),
    })
    .map(({ min, width, stepFraction }) => {
      const max = min + width;
      const step = stepFraction === undefined ? undefined : (max - min) * stepFraction;
      return {
        type: "Float" as const,
        min,
        max,
        scale: "Linear" as const,
        ...(step === undefined ? {} : { step }),
      };
    })
    .filter((p) => p.max > p.min && (p.step === undefined || p.step > 0));

const floatLog: fc.Arbitrary<BaseParameter> = fc
  .record({
    exponent: finiteDouble(-10, 5),
    decades: finiteDouble(1e-3, 12),
  })
  .map(({ exponent, decades }) => ({
    type: "Float" as const,
    min: 10 ** exponent,
    max: 10 ** (exponent + decades),
    scale: "Log" as const,
  }))
  .filter((p) => p.max > p.min);

/** ReverseLog needs 0 < min < max < 1: 1 - value spans from 1e-12 to almost 1. */
const floatReverseLog: fc.Arbitrary<BaseParameter> = fc
  .record({
    exponent: finiteDouble(-12, -1e-3),
    decades: finiteDouble(1e-3, 12),
  })
  .map(({ exponent, decades }) => ({
    type: "Float" as const,
    min: 1 - 10 ** Math.min(-1e-3, exponent + decades),
    max: 1 - 10 ** exponent,
    scale: "ReverseLog" as const,
  }))
  .filter((p) => p.min > 0 && p.max > p.min && p.max < 1);

const int = (gridFriendly: boolean): fc.Arbitrary<BaseParameter> =>
  fc
    .record({
      scale: fc.constantFrom("Linear" as const, "Log" as const),
      start: fc.integer({ min: -1000, max: 1000 }),
      span: fc.integer({ min: 1, max: gridFriendly ? 4 : 5000 }),
      step: fc.integer({ min: 1, max: gridFriendly ? 2 : 20 }),
    })
    .map(({ scale, start, span, step }) => {
      const min = scale === "Log" ? Math.abs(start) % 100 || 1 : start;
      return { type: "Int" as const, scale, min, max: min + span, step: Math.min(step, span) };
    });

const maxValues = (gridFriendly: boolean) => (gridFriendly ? 4 : 6);

const categorical = (gridFriendly: boolean): fc.Arbitrary<BaseParameter> =>
  fc
    .uniqueArray(
      fc.oneof(
        fc.string({ maxLength: 8 }),
        fc.integer({ min: -100, max: 100 }),
        finiteDouble(-1e6, 1e6),
        fc.boolean(),
      ),
      { minLength: 1, maxLength: maxValues(gridFriendly), selector: String },
    )
    .map((values) => ({ type: "Categorical" as const, values }));

const discrete = (gridFriendly: boolean): fc.Arbitrary<BaseParameter> =>
  fc
    .uniqueArray(finiteDouble(-1e9, 1e9), {
      minLength: 1,
      maxLength: maxValues(gridFriendly),
      selector: String,
    })
    .map((values) => ({ type: "Discrete" as const, values }));

export function baseParameterArb(gridFriendly = false): fc.Arbitrary<BaseParameter> {
  const kinds = [
    floatLinear(gridFriendly),
    int(gridFriendly),
    categorical(gridFriendly),
    discrete(gridFriendly),
  ];
  return fc.oneof(...(gridFriendly ? kinds : [...kinds, floatLog, floatReverseLog]));
}

/** The values a parameter can take in a `when`, or undefined when it cannot be a parent. */
function conditionValues(p: BaseParameter): ParameterValue[] | undefined {
  if (p.type === "Categorical" || p.type === "Discrete") return [...(p.values as ParameterValue[])];
  if (p.type === "Int" && (p.max - p.min) / p.step <= 50) {
    return Array.from({ length: Math.floor((p.max - p.min) / p.step) + 1 }, (_, k) => p.min + k * p.step);
  }
  return undefined;
}

const conditionChoice = fc.option(
  fc.record({
    parent: fc.nat(),
    value: fc.nat(),
    secondParent: fc.nat(),
    secondValue: fc.nat(),
    twoParents: fc.boolean(),
    // A `when` may give the parent's value itself (3, true) or as text ("3", "true").
    asText: fc.boolean(),
  }),
  { nil: undefined, freq: 2 },
);

export function parameterListArb(options: ParameterListOptions = {}): fc.Arbitrary<Parameter[]> {
  const { maxParameters = 6, gridFriendly = false } = options;
  return fc
    .array(fc.tuple(baseParameterArb(gridFriendly), conditionChoice), {
      minLength: 1,
      maxLength: maxParameters,
    })
    .map((entries) => {
      const parameters: Parameter[] = [];
      entries.forEach(([base, choice], i) => {
        const parameter = { ...base, name: `p${i}` } as Parameter;
        const parents = parameters.flatMap((p) => {
          const values = conditionValues(p as BaseParameter);
          return values ? [{ name: p.name, values }] : [];
        });
        if (choice && parents.length > 0) {
          const when: Record<string, ParameterValue> = {};
          const pick = (parentPick: number, valuePick: number) => {
            const parent = parents[parentPick % parents.length];
            const value = parent?.values[valuePick % parent.values.length];
            if (parent && value !== undefined) when[parent.name] = choice.asText ? String(value) : value;
          };
          pick(choice.parent, choice.value);
          if (choice.twoParents) pick(choice.secondParent, choice.secondValue);
          parameter.when = when;
        }
        parameters.push(parameter);
      });
      return parameters;
    });
}

/** A point in the unit cube, with the ends 0 and 1 and values just below 1 well represented. */
export function unitPointArb(dimensions: number): fc.Arbitrary<number[]> {
  const coordinate = fc.oneof(
    { weight: 6, arbitrary: finiteDouble(0, 1) },
    { weight: 1, arbitrary: fc.constantFrom(0, 1, 1 - Number.EPSILON / 2, 0.5, Number.MIN_VALUE) },
  );
  return fc.array(coordinate, { minLength: dimensions, maxLength: dimensions });
}
