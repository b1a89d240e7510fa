/**
 * Grid enumeration. Conditional parameters are only varied where they are
 * active, so a point never repeats with just an inactive parameter changed.
 */
import { MAX_GRID_POINTS, type ParameterValue, type ParameterValues } from "../api/index.js";
import type { Dimension, SearchSpace } from "./space.js";

/**
 * Every combination, row-major in declaration order (the last parameter
 * changes fastest). Throws when a Float has no step or when there are more
 * than `MAX_GRID_POINTS` points.
 */
export function gridPoints(space: SearchSpace): ParameterValues[] {
  // Counting first is cheap and spares allocating a million points only to throw them away.
  const size = countGridPoints(space, MAX_GRID_POINTS);
  if (size > MAX_GRID_POINTS) throw new Error(`the grid has more than ${MAX_GRID_POINTS} points`);
  const valuesOf = lazyGridValues(space);
  const points: ParameterValues[] = [];
  const partial: ParameterValues = {};

  const visit = (index: number): void => {
    const dim = space.dims[index];
    if (!dim) {
      points.push({ ...partial });
      return;
    }
    if (!space.isActive(index, partial)) {
      visit(index + 1);
      return;
    }
    for (const value of valuesOf(index)) {
      partial[dim.name] = value;
      visit(index + 1);
    }
    delete partial[dim.name];
  };
  visit(0);
  return points;
}

/**
 * The number of grid points, counting no further than `limit` (the result is
 * then `limit + 1`), so asking whether a huge grid fits a budget is cheap.
 * Throws when a Float has no step.
 */
export function countGridPoints(space: SearchSpace, limit = MAX_GRID_POINTS): number {
  const valuesOf = lazyGridValues(space);
  const tailSizes = unconditionalTailSizes(space.dims);
  const partial: ParameterValues = {};
  let count = 0;

  const visit = (index: number): void => {
    if (count > limit) return;
    const dim = space.dims[index];
    const tail = tailSizes[index];
    if (!dim || tail !== undefined) {
      count += tail ?? 1;
      return;
    }
    if (!space.isActive(index, partial)) {
      visit(index + 1);
      return;
    }
    for (const value of valuesOf(index)) {
      partial[dim.name] = value;
      visit(index + 1);
      if (count > limit) break;
    }
    delete partial[dim.name];
  };
  visit(0);
  return Math.min(count, limit + 1);
}

/**
 * Each parameter's values, listed only when first needed: an Int over a
 * billion values can still be counted, as long as nothing lists it.
 */
function lazyGridValues(space: SearchSpace): (index: number) => ParameterValue[] {
  for (const dim of space.dims) {
    if (dim.cardinality === undefined) throw new Error(`Grid needs a step for Float parameter "${dim.name}"`);
  }
  const cache = new Map<number, ParameterValue[]>();
  return (index) => {
    let values = cache.get(index);
    if (!values) {
      values = space.dims[index]?.gridValues() ?? [];
      cache.set(index, values);
    }
    return values;
  };
}

/**
 * For each index from which no later parameter is conditional, the product of
 * the remaining cardinalities; undefined where a condition still follows.
 */
function unconditionalTailSizes(dims: readonly Dimension[]): (number | undefined)[] {
  const sizes: (number | undefined)[] = new Array(dims.length).fill(undefined);
  let product = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    const dim = dims[i] as Dimension;
    if (dim.conditions.length > 0) break;
    product *= dim.cardinality ?? 1;
    sizes[i] = product;
  }
  return sizes;
}
