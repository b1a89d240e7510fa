/**
 * Where a parameter's values fall on the discrete grid PED-ANOVA estimates
 * densities on (Watanabe et al., IJCAI 2023, "PED-ANOVA: Efficiently
 * Quantifying Hyperparameter Importance in Arbitrary Subspaces", §4; grid
 * sizes as in Optuna's PedAnovaImportanceEvaluator). Positions are taken in
 * the space the project samples in (src/space/dimension.ts), so a Log or
 * ReverseLog Float is binned evenly in its transformed space.
 */
import type { IntParameter, Parameter, ParameterValue } from "../api/index.js";
import { createValueCodec } from "../space/dimension.js";

/** Grid points for a continuous parameter; ordinal ones with fewer values get one point each. */
export const MAX_GRID_POINTS = 50;

export interface ParameterGrid {
  /** Number of grid points; below 2 the parameter cannot explain anything. */
  readonly size: number;
  /** Categories have no order, so their density is estimated by counts, without a Gaussian kernel. */
  readonly categorical: boolean;
  /** The grid point of a value, or -1 when the value is absent or not legal for the parameter. */
  pointOf(value: ParameterValue | undefined): number;
}

export function parameterGrid(parameter: Parameter): ParameterGrid {
  if (parameter.type === "Int" && parameter.scale === "Log") return intLogGrid(parameter);
  const codec = createValueCodec(parameter);
  const positionOf = (value: ParameterValue | undefined): number =>
    value === undefined ? Number.NaN : codec.encode(value);
  if (codec.cardinality === undefined) {
    const size = parameter.type === "Float" && parameter.max > parameter.min ? MAX_GRID_POINTS : 1;
    return { size, categorical: false, pointOf: (value) => nearestPoint(positionOf(value), size) };
  }
  // Finite values: the codec puts value k of n at (k + 0.5) / n.
  const count = codec.cardinality;
  const rankOf = (value: ParameterValue | undefined): number => {
    const u = positionOf(value);
    return Number.isNaN(u) ? -1 : Math.min(count - 1, Math.floor(u * count));
  };
  if (codec.kind === "categorical") return { size: count, categorical: true, pointOf: rankOf };
  const size = Math.min(count, MAX_GRID_POINTS);
  return {
    size,
    categorical: false,
    pointOf(value) {
      const rank = rankOf(value);
      if (rank < 0 || size === count) return rank;
      return nearestPoint(rank / (count - 1), size);
    },
  };
}

/**
 * Integers on a log scale: about one grid point per doubling, spread evenly
 * in log space from min to max. (The codec's positions are the centres of
 * each value's stretch, which would leave the end points nearly empty.)
 */
function intLogGrid(parameter: IntParameter): ParameterGrid {
  const { min, max, step } = parameter;
  const count = Math.floor((max - min) / step) + 1;
  const size = Math.min(count, Math.ceil(Math.log2(count)) + 1, MAX_GRID_POINTS);
  const logMin = Math.log(min);
  const logWidth = Math.log(max) - logMin;
  const isLegal = (value: ParameterValue | undefined): value is number =>
    typeof value === "number" &&
    Number.isInteger(value) &&
    value >= min &&
    value <= max &&
    (value - min) % step === 0;
  return {
    size,
    categorical: false,
    pointOf: (value) =>
      isLegal(value) && logWidth > 0 ? nearestPoint((Math.log(value) - logMin) / logWidth, size) : -1,
  };
}

/** The grid point nearest to u in [0, 1]; halfway goes down, as in Optuna. -1 for NaN. */
function nearestPoint(u: number, size: number): number {
  if (Number.isNaN(u)) return -1;
  const point = Math.ceil(u * (size - 1) - 0.5);
  return Math.min(Math.max(point, 0), size - 1);
}
