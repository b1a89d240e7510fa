/**
 * The little dense linear algebra the GP and CMA-ES need, on row-major
 * Float64Arrays: Cholesky with jitter, triangular solves, the inverse from a
 * Cholesky factor, and the symmetric eigendecomposition (cyclic Jacobi).
 * Sizes here are at most a few hundred, so plain loops are fast enough.
 */

export interface CholeskyResult {
  /** Lower-triangular factor L, row-major n×n, with L Lᵀ = A + jitter·I. */
  readonly factor: Float64Array;
  /** The diagonal jitter that had to be added (0 when A was positive definite as given). */
  readonly jitter: number;
}

/** In-place attempt at A = L Lᵀ on the lower triangle; false when a pivot is not positive. */
function tryCholesky(a: Float64Array, n: number, jitter: number, out: Float64Array): boolean {
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let j = 0; j <= i; j++) {
      const rowJ = j * n;
      let sum = (a[rowI + j] as number) + (i === j ? jitter : 0);
      for (let k = 0; k < j; k++) sum -= (out[rowI + k] as number) * (out[rowJ + k] as number);
      if (i === j) {
        if (!(sum > 0)) return false;
        out[rowI + i] = Math.sqrt(sum);
      } else {
        out[rowI + j] = sum / (out[rowJ + j] as number);
      }
    }
    for (let j = i + 1; j < n; j++) out[rowI + j] = 0;
  }
  return true;
}

/**
 * Cholesky factor of a symmetric matrix, adding jitter 1e-10·mean(diag),
 * then ×10 each try up to 1% of it, until the factorisation succeeds (as GPyTorch's
 * `psd_safe_cholesky`). Throws when even that fails: the matrix is then not merely ill-conditioned.
 */
export function choleskyWithJitter(a: Float64Array, n: number): CholeskyResult {
  const factor = new Float64Array(n * n);
  if (tryCholesky(a, n, 0, factor)) return { factor, jitter: 0 };
  let meanDiagonal = 0;
  for (let i = 0; i < n; i++) meanDiagonal += Math.abs(a[i * n + i] as number);
  meanDiagonal = n > 0 && meanDiagonal > 0 ? meanDiagonal / n : 1;
  for (let jitter = 1e-10 * meanDiagonal; jitter <= 1e-2 * meanDiagonal; jitter *= 10) {
    if (tryCholesky(a, n, jitter, factor)) return { factor, jitter };
  }
  throw new Error("Cholesky failed: the matrix is not positive semi-definite");
}

/** Solves L x = b (L lower-triangular), writing x into `out` (may alias b). */
export function solveLower(
  l: Float64Array,
  n: number,
  b: ArrayLike<number>,
  out: Float64Array,
): Float64Array {
  for (let i = 0; i < n; i++) {
    const row = i * n;
    let sum = b[i] as number;
    for (let k = 0; k < i; k++) sum -= (l[row + k] as number) * (out[k] as number);
    out[i] = sum / (l[row + i] as number);
  }
  return out;
}

/** Solves Lᵀ x = b (L lower-triangular), writing x into `out` (may alias b). */
export function solveUpperTransposed(
  l: Float64Array,
  n: number,
  b: ArrayLike<number>,
  out: Float64Array,
): Float64Array {
  for (let i = n - 1; i >= 0; i--) {
    let sum = b[i] as number;
    for (let k = i + 1; k < n; k++) sum -= (l[k * n + i] as number) * (out[k] as number);
    out[i] = sum / (l[i * n + i] as number);
  }
  return out;
}

/** A⁻¹ = L⁻ᵀ L⁻¹ from the Cholesky factor, full symmetric n×n. */
export function inverseFromCholesky(l: Float64Array, n: number): Float64Array {
  // Mᵀ where M = L⁻¹ (lower-triangular), stored transposed so every inner loop below runs along a row.
  const mt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const rowL = i * n;
    const diagonal = l[rowL + i] as number;
    mt[i * n + i] = 1 / diagonal;
    for (let j = 0; j < i; j++) {
      const rowMt = j * n;
      let sum = 0;
      for (let k = j; k < i; k++) sum -= (l[rowL + k] as number) * (mt[rowMt + k] as number);
      mt[rowMt + i] = sum / diagonal;
    }
  }
  // A⁻¹_ij = Σ_{k ≥ max(i,j)} M_ki M_kj = Σ_k Mᵀ_ik Mᵀ_jk.
  const inverse = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let j = 0; j <= i; j++) {
      const rowJ = j * n;
      let sum = 0;
      for (let k = i; k < n; k++) sum += (mt[rowI + k] as number) * (mt[rowJ + k] as number);
      inverse[rowI + j] = sum;
      inverse[rowJ + i] = sum;
    }
  }
  return inverse;
}

export interface SymmetricEigen {
  /** Eigenvalues, in no particular order. */
  readonly values: Float64Array;
  /** Eigenvectors as columns of a row-major n×n matrix: vectors[i*n + k] is component i of vector k. */
  readonly vectors: Float64Array;
}

/**
 * Cyclic Jacobi rotations (Golub & Van Loan, §8.5): slow in theory, but exact
 * to rounding and simple, and CMA-ES dimensions here are small.
 */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let offDiagonal = 0;
    let diagonal = 0;
    for (let i = 0; i < n; i++) {
      diagonal += (m[i * n + i] as number) ** 2;
      for (let j = i + 1; j < n; j++) offDiagonal += (m[i * n + j] as number) ** 2;
    }
    if (offDiagonal <= 1e-30 * diagonal || offDiagonal === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q] as number;
        if (apq === 0) continue;
        const app = m[p * n + p] as number;
        const aqq = m[q * n + q] as number;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p] as number;
          const mkq = m[k * n + q] as number;
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k] as number;
          const mqk = m[q * n + k] as number;
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p] as number;
          const vkq = v[k * n + q] as number;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = m[i * n + i] as number;
  return { values, vectors: v };
}
