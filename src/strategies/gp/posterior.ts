/**
 * The GP posterior for fixed hyperparameters: zero prior mean on
 * standardised targets (i.e. a constant mean equal to the sample mean),
 * μ(x) = k*ᵀα and σ²(x) = s − k*ᵀK⁻¹k* for the latent function
 * (Rasmussen & Williams 2006, alg. 2.1), with their gradients in x for the
 * acquisition's local search.
 */
import { type KernelParams, matern52, SQRT5 } from "./kernel.js";
import { choleskyWithJitter, solveLower, solveUpperTransposed } from "./linalg.js";

/** The smallest posterior variance reported, so that σ and log σ stay finite at observed points. */
const MINIMUM_VARIANCE = 1e-12;

export interface Prediction {
  mean: number;
  variance: number;
}

export interface PredictionWithGradient extends Prediction {
  meanGradient: Float64Array;
  varianceGradient: Float64Array;
}

export class GaussianProcess {
  readonly n: number;
  readonly d: number;
  private readonly factor: Float64Array;
  private readonly alpha: Float64Array;
  // Scratch buffers, reused by every prediction.
  private readonly kStar: Float64Array;
  private readonly derivative: Float64Array;
  private readonly v: Float64Array;
  private readonly w: Float64Array;

  constructor(
    /** Row-major n×d inputs. */
    readonly x: Float64Array,
    readonly y: Float64Array,
    readonly params: KernelParams,
    readonly categorical: Uint8Array,
  ) {
    const n = y.length;
    const d = categorical.length;
    this.n = n;
    this.d = d;
    const lambda = params.inverseSquaredLengthScales;
    const kernel = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      kernel[i * n + i] = params.signalVariance + params.noiseVariance;
      for (let j = 0; j < i; j++) {
        let r2 = 0;
        for (let k = 0; k < d; k++) {
          const delta = (x[i * d + k] as number) - (x[j * d + k] as number);
          r2 += (lambda[k] as number) * (categorical[k] ? (delta === 0 ? 0 : 1) : delta * delta);
        }
        const value = params.signalVariance * matern52(r2);
        kernel[i * n + j] = value;
        kernel[j * n + i] = value;
      }
    }
    this.factor = choleskyWithJitter(kernel, n).factor;
    this.alpha = solveUpperTransposed(
      this.factor,
      n,
      solveLower(this.factor, n, y, new Float64Array(n)),
      new Float64Array(n),
    );
    this.kStar = new Float64Array(n);
    this.derivative = new Float64Array(n);
    this.v = new Float64Array(n);
    this.w = new Float64Array(n);
  }

  /** A new posterior with one more observation: the kriging believer's fantasy, or a pending trial. */
  withObservation(point: ArrayLike<number>, value: number): GaussianProcess {
    const x = new Float64Array((this.n + 1) * this.d);
    x.set(this.x);
    for (let k = 0; k < this.d; k++) x[this.n * this.d + k] = point[k] as number;
    const y = new Float64Array(this.n + 1);
    y.set(this.y);
    y[this.n] = value;
    return new GaussianProcess(x, y, this.params, this.categorical);
  }

  predict(point: ArrayLike<number>): Prediction {
    this.fillKernelVector(point, false);
    const n = this.n;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += (this.kStar[i] as number) * (this.alpha[i] as number);
    solveLower(this.factor, n, this.kStar, this.v);
    let explained = 0;
    for (let i = 0; i < n; i++) explained += (this.v[i] as number) ** 2;
    return { mean, variance: Math.max(this.params.signalVariance - explained, MINIMUM_VARIANCE) };
  }

  /** Mean, variance and their gradients in x; components where `fixed` is set get zero gradient. */
  predictWithGradient(point: ArrayLike<number>, fixed: Uint8Array): PredictionWithGradient {
    this.fillKernelVector(point, true);
    const { n, d } = this;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += (this.kStar[i] as number) * (this.alpha[i] as number);
    solveLower(this.factor, n, this.kStar, this.v);
    let explained = 0;
    for (let i = 0; i < n; i++) explained += (this.v[i] as number) ** 2;
    const rawVariance = this.params.signalVariance - explained;
    const variance = Math.max(rawVariance, MINIMUM_VARIANCE);
    // w = K⁻¹k*: ∂σ²/∂x = −2 Σ_i w_i ∂k_i/∂x.
    solveUpperTransposed(this.factor, n, this.v, this.w);
    const meanGradient = new Float64Array(d);
    const varianceGradient = new Float64Array(d);
    const lambda = this.params.inverseSquaredLengthScales;
    const clamped = rawVariance < MINIMUM_VARIANCE;
    for (let i = 0; i < n; i++) {
      // ∂k_i/∂x_k = s · m'(r²) · 2 λ_k (x_k − X_ik).
      const c = 2 * (this.derivative[i] as number);
      const meanWeight = c * (this.alpha[i] as number);
      const varianceWeight = clamped ? 0 : -2 * c * (this.w[i] as number);
      for (let k = 0; k < d; k++) {
        if (this.categorical[k] || fixed[k]) continue;
        const delta = (lambda[k] as number) * ((point[k] as number) - (this.x[i * d + k] as number));
        meanGradient[k] = (meanGradient[k] as number) + meanWeight * delta;
        varianceGradient[k] = (varianceGradient[k] as number) + varianceWeight * delta;
      }
    }
    return { mean, variance, meanGradient, varianceGradient };
  }

  private fillKernelVector(point: ArrayLike<number>, withDerivative: boolean): void {
    const { n, d, x } = this;
    const lambda = this.params.inverseSquaredLengthScales;
    const signal = this.params.signalVariance;
    for (let i = 0; i < n; i++) {
      let r2 = 0;
      for (let k = 0; k < d; k++) {
        const delta = (x[i * d + k] as number) - (point[k] as number);
        r2 += (lambda[k] as number) * (this.categorical[k] ? (delta === 0 ? 0 : 1) : delta * delta);
      }
      // matern52 and its derivative inlined: one sqrt and one exp per training point.
      const r = Math.sqrt(r2);
      const decay = signal * Math.exp(-SQRT5 * r);
      this.kStar[i] = (1 + SQRT5 * r + (5 / 3) * r2) * decay;
      if (withDerivative) this.derivative[i] = (-5 / 6) * (1 + SQRT5 * r) * decay;
    }
  }
}
