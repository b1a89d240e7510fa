/**
 * One parameter's mapping between the unit interval and its values. Every
 * strategy works in the unit cube; this is the only place that knows about
 * scales, steps and categories.
 */
import { gridCardinality, type Parameter, type ParameterValue } from "../api/index.js";

/**
 * `continuous`: any value in range. `ordinal`: finitely many values whose order
 * means something (Int, Float with step, Discrete). `categorical`: finitely many
 * values with no order, so a model must not measure distances between them.
 */
export type DimensionKind = "continuous" | "ordinal" | "categorical";

export interface ValueCodec {
  readonly kind: DimensionKind;
  /** Number of distinct values, or undefined when continuous. */
  readonly cardinality: number | undefined;
  /** u in [0, 1] (1 included, for safety) → a legal value. */
  decode(u: number): ParameterValue;
  /** A legal value → its exact position, or the centre of its bin; NaN when the value is not legal. */
  encode(value: ParameterValue): number;
  isLegal(value: unknown): value is ParameterValue;
  /** Every value, in the order a grid visits them; undefined when continuous. */
  gridValues(): ParameterValue[] | undefined;
}

export function createValueCodec(p: Parameter): ValueCodec {
  switch (p.type) {
    case "Categorical":
      return choiceCodec(p.values, "categorical");
    case "Discrete":
      return discreteCodec(p.values);
    case "Int":
      if (p.max < p.min) throw new Error(`parameter "${p.name}": max (${p.max}) is below min (${p.min})`);
      if (p.scale === "Log") return intLogCodec(p.name, p.min, p.max, p.step);
      return steppedCodec(p.min, p.max, p.step, gridCardinality(p) ?? 1, true);
    case "Float":
      if (!(p.max >= p.min)) throw new Error(`parameter "${p.name}": max (${p.max}) is below min (${p.min})`);
      if (p.step !== undefined) {
        if (p.scale !== "Linear") throw new Error(`parameter "${p.name}": step applies to Linear scale only`);
        return steppedCodec(p.min, p.max, p.step, gridCardinality(p) ?? 1, false);
      }
      if (p.scale === "Linear") return linearCodec(p.min, p.max);
      if (!(p.min > 0))
        throw new Error(`parameter "${p.name}": ${p.scale} scale needs min > 0 (got ${p.min})`);
      if (p.scale === "Log") return logCodec(p.min, p.max);
      if (!(p.max < 1))
        throw new Error(`parameter "${p.name}": ReverseLog scale needs max < 1 (got ${p.max})`);
      return reverseLogCodec(p.min, p.max);
  }
}

/** Bin k of n equal-width bins holding u; u = 1 falls in the last bin. */
function binOf(u: number, n: number): number {
  const k = Math.floor(u * n);
  return k < 0 ? 0 : k >= n ? n - 1 : k;
}

const clamp = (v: number, min: number, max: number): number => Math.min(Math.max(v, min), max);

/**
 * `min + k*step` in binary floating point gives 0.30000000000000004; users
 * wrote 0.3. Rounding to 15 digits is kept only when it moves the value by a
 * negligible part of a step (it would not, for a tiny step far from zero).
 */
function tidyFloat(value: number, step: number): number {
  const tidy = Number(value.toPrecision(15));
  return Math.abs(tidy - value) <= 1e-9 * step ? tidy : value;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function choiceCodec(values: readonly ParameterValue[], kind: DimensionKind): ValueCodec {
  const n = values.length;
  return {
    kind,
    cardinality: n,
    decode: (u) => values[binOf(u, n)] as ParameterValue,
    encode(value) {
      const k = values.indexOf(value);
      return k < 0 ? Number.NaN : (k + 0.5) / n;
    },
    isLegal: (value): value is ParameterValue => values.includes(value as ParameterValue),
    gridValues: () => [...values],
  };
}

/** Sorted for the unit interval so that nearby u means nearby values; the grid keeps the user's order. */
function discreteCodec(values: readonly number[]): ValueCodec {
  const sorted = choiceCodec(
    [...values].sort((a, b) => a - b),
    "ordinal",
  );
  return { ...sorted, gridValues: () => [...values] };
}

/** Values `min + k*step`, k = 0..n-1, each owning an equal share of the unit interval. */
function steppedCodec(min: number, max: number, step: number, n: number, integer: boolean): ValueCodec {
  const valueAt = (k: number): number =>
    integer || k === 0 ? min + k * step : clamp(tidyFloat(min + k * step, step), min, max);
  const stepOf = (value: number): number => Math.round((value - min) / step);
  return {
    kind: "ordinal",
    cardinality: n,
    decode: (u) => valueAt(binOf(u, n)),
    encode(value) {
      return isOnSteps(value) ? (stepOf(value as number) + 0.5) / n : Number.NaN;
    },
    isLegal: (value): value is number => isOnSteps(value),
    gridValues: () => Array.from({ length: n }, (_, k) => valueAt(k)),
  };

  function isOnSteps(value: unknown): boolean {
    if (!isFiniteNumber(value) || value < min || value > max) return false;
    const k = stepOf(value);
    if (integer) return Number.isInteger(value) && value === valueAt(k);
    // Tolerance for values written out and read back, e.g. through YAML or a shell.
    return k >= 0 && k < n && Math.abs(value - valueAt(k)) <= 1e-9 * step + 1e-14 * Math.abs(value);
  }
}

function linearCodec(min: number, max: number): ValueCodec {
  const width = max - min;
  return {
    kind: "continuous",
    cardinality: undefined,
    decode: (u) => clamp(min + u * width, min, max),
    encode: (value) => (isInRange(value, min, max) ? (width > 0 ? (value - min) / width : 0.5) : Number.NaN),
    isLegal: (value): value is number => isInRange(value, min, max),
    gridValues: () => undefined,
  };
}

/** Uniform in log space: as many trials between 1e-4 and 1e-3 as between 1e-2 and 1e-1. */
function logCodec(min: number, max: number): ValueCodec {
  const logMin = Math.log(min);
  const logWidth = Math.log(max) - logMin;
  return {
    kind: "continuous",
    cardinality: undefined,
    decode: (u) => clamp(Math.exp(logMin + u * logWidth), min, max),
    encode: (value) =>
      isInRange(value, min, max) ? (logWidth > 0 ? (Math.log(value) - logMin) / logWidth : 0.5) : Number.NaN,
    isLegal: (value): value is number => isInRange(value, min, max),
    gridValues: () => undefined,
  };
}

/**
 * Dense near 1, e.g. a momentum in [0.9, 0.9999]: 1 - value is log-uniform,
 * so as many trials fall in [0.9, 0.99] as in [0.99, 0.999] and [0.999, 0.9999].
 * (Mirroring a log scale inside [min, max] instead is nearly linear on such a
 * range.) u = 0 is min and u = 1 is max, so the map stays increasing, like every other one.
 */
function reverseLogCodec(min: number, max: number): ValueCodec {
  const logGapAtMin = Math.log1p(-min);
  const logWidth = logGapAtMin - Math.log1p(-max);
  return {
    kind: "continuous",
    cardinality: undefined,
    decode: (u) => clamp(-Math.expm1(logGapAtMin - u * logWidth), min, max),
    encode: (value) =>
      isInRange(value, min, max)
        ? logWidth > 0
          ? clamp((logGapAtMin - Math.log1p(-value)) / logWidth, 0, 1)
          : 0.5
        : Number.NaN,
    isLegal: (value): value is number => isInRange(value, min, max),
    gridValues: () => undefined,
  };
}

/**
 * Integers `min + k*step` spread uniformly in log space. Each value owns the
 * stretch of real numbers that rounds to it (± step/2, Optuna does the same
 * for step 1), so the end values are not half as likely as the others.
 */
function intLogCodec(name: string, min: number, max: number, step: number): ValueCodec {
  if (!(min > 0)) throw new Error(`parameter "${name}": Log scale needs min > 0 (got ${min})`);
  const n = Math.floor((max - min) / step) + 1;
  const valueAt = (k: number): number => min + k * step;
  // The lowest value's stretch is cut at min/2 when min - step/2 would not be positive.
  const low = Math.max(min - step / 2, min / 2);
  const high = valueAt(n - 1) + step / 2;
  const logLow = Math.log(low);
  const logWidth = Math.log(high) - logLow;
  const toUnit = (x: number): number => (Math.log(x) - logLow) / logWidth;
  const isOnSteps = (value: unknown): value is number =>
    isFiniteNumber(value) &&
    Number.isInteger(value) &&
    value >= min &&
    value <= max &&
    (value - min) % step === 0;
  return {
    kind: "ordinal",
    cardinality: n,
    decode(u) {
      const x = Math.exp(logLow + clamp(u, 0, 1) * logWidth);
      return valueAt(clamp(Math.round((x - min) / step), 0, n - 1));
    },
    encode(value) {
      if (!isOnSteps(value)) return Number.NaN;
      return (toUnit(Math.max(low, value - step / 2)) + toUnit(Math.min(high, value + step / 2))) / 2;
    },
    isLegal: isOnSteps,
    gridValues: () => Array.from({ length: n }, (_, k) => valueAt(k)),
  };
}

function isInRange(value: unknown, min: number, max: number): value is number {
  return isFiniteNumber(value) && value >= min && value <= max;
}
