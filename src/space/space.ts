/**
 * The search space: the parameters of a job as a unit cube with one
 * dimension per parameter, plus the conditions that switch parameters off.
 * Strategies propose points in the cube; `decode` turns them into trial
 * parameters and `encode` maps past trials back for models.
 */
import { meetsCondition, type Parameter, type ParameterValue, type ParameterValues } from "../api/index.js";
import { createValueCodec, type DimensionKind, type ValueCodec } from "./dimension.js";

/** One clause of a parameter's `when`: active only if the parent's value meets `value` (see `meetsCondition`). */
export interface Condition {
  readonly parentIndex: number;
  readonly parentName: string;
  readonly value: ParameterValue;
}

export interface Dimension extends ValueCodec {
  readonly index: number;
  readonly name: string;
  readonly parameter: Parameter;
  readonly kind: DimensionKind;
  /** Empty for unconditional parameters. Parents always come earlier. */
  readonly conditions: readonly Condition[];
}

export interface SearchSpace {
  readonly parameters: readonly Parameter[];
  /** One per parameter, in declaration order. */
  readonly dims: readonly Dimension[];
  /** Whether any parameter has a `when`. */
  readonly conditional: boolean;
  /** Unit-cube point → trial parameters; parameters whose `when` is not met are left out. */
  decode(u: readonly number[]): ParameterValues;
  /** Trial parameters → unit-cube point; NaN for parameters that are inactive, missing or illegal. */
  encode(values: ParameterValues): number[];
  /** Whether parameter `parameterIndex` is switched on, given the values of the parameters before it. */
  isActive(parameterIndex: number, values: ParameterValues): boolean;
  /** Legal and complete: every active parameter present and legal, nothing inactive or unknown. */
  contains(values: ParameterValues): boolean;
}

export function createSearchSpace(parameters: readonly Parameter[]): SearchSpace {
  const indexByName = new Map<string, number>();
  const dims = parameters.map((parameter, index): Dimension => {
    if (indexByName.has(parameter.name)) throw new Error(`duplicate parameter "${parameter.name}"`);
    const dimension: Dimension = {
      ...createValueCodec(parameter),
      index,
      name: parameter.name,
      parameter,
      conditions: resolveConditions(parameter, indexByName),
    };
    indexByName.set(parameter.name, index);
    return dimension;
  });

  const isActive = (parameterIndex: number, values: ParameterValues): boolean => {
    const dim = dims[parameterIndex];
    if (!dim) throw new Error(`no parameter at index ${parameterIndex}`);
    return conditionsHold(dim, values);
  };

  return {
    parameters,
    dims,
    conditional: dims.some((d) => d.conditions.length > 0),
    isActive,
    decode(u) {
      if (u.length < dims.length) throw new Error(`expected ${dims.length} coordinates, got ${u.length}`);
      const values: ParameterValues = {};
      for (const dim of dims) {
        if (!conditionsHold(dim, values)) continue;
        const coordinate = u[dim.index] as number;
        if (!(coordinate >= 0 && coordinate <= 1)) {
          throw new Error(`coordinate ${dim.index} (${dim.name}) must be in [0, 1], got ${coordinate}`);
        }
        values[dim.name] = dim.decode(coordinate);
      }
      return values;
    },
    encode(values) {
      return dims.map((dim) => {
        const value = ownValue(values, dim.name);
        return value === undefined || !conditionsHold(dim, values) ? Number.NaN : dim.encode(value);
      });
    },
    contains(values) {
      for (const name of Object.keys(values)) if (!indexByName.has(name)) return false;
      return dims.every((dim) => {
        const value = ownValue(values, dim.name);
        return conditionsHold(dim, values) ? dim.isLegal(value) : value === undefined;
      });
    },
  };
}

function resolveConditions(parameter: Parameter, earlier: ReadonlyMap<string, number>): Condition[] {
  return Object.entries(parameter.when ?? {}).map(([parentName, value]) => {
    const parentIndex = earlier.get(parentName);
    if (parentIndex === undefined) {
      throw new Error(
        `parameter "${parameter.name}": when names "${parentName}", which is not declared before it`,
      );
    }
    return { parentIndex, parentName, value };
  });
}

/** An absent parent (itself inactive) switches its children off too. */
function conditionsHold(dim: Dimension, values: ParameterValues): boolean {
  for (const condition of dim.conditions) {
    const parentValue = ownValue(values, condition.parentName);
    if (parentValue === undefined || !meetsCondition(parentValue, condition.value)) return false;
  }
  return true;
}

/** Own properties only, so a parameter called `constructor` never reads the prototype. */
function ownValue(values: ParameterValues, name: string): ParameterValue | undefined {
  return Object.hasOwn(values, name) ? values[name] : undefined;
}
