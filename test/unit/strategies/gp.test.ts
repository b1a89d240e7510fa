import { describe, expect, it } from "vitest";
import { createRng } from "../../../src/space/index.js";
import { minimiseInBox } from "../../../src/strategies/gp/boxLbfgs.js";
import { fitKernelParams } from "../../../src/strategies/gp/fit.js";
import { matern52, matern52DerivativeBySquaredDistance } from "../../../src/strategies/gp/kernel.js";
import {
  choleskyWithJitter,
  inverseFromCholesky,
  symmetricEigen,
} from "../../../src/strategies/gp/linalg.js";
import {
  erfcx,
  logExpectedImprovement,
  logH,
  normalCdf,
  normalPdf,
} from "../../../src/strategies/gp/logExpectedImprovement.js";
import {
  logPosteriorOfHyperparameters,
  MINIMUM_NOISE_VARIANCE,
  prepareTrainingData,
} from "../../../src/strategies/gp/marginalLikelihood.js";
import { GaussianProcess } from "../../../src/strategies/gp/posterior.js";

describe("Matérn-5/2 GP posterior (known answer)", () => {
  // X = [0.1, 0.5, 0.9], y = [1, −0.5, 0.25], λ = 4 (ℓ = 0.5), s = 1.5, σ_n² = 0.01.
  // Neighbours are 0.4 apart: r² = 4·0.16 = 0.64, r = 0.8, so
  // K_12 = 1.5·(1 + √5·0.8 + (5/3)·0.64)·e^{−√5·0.8} = 0.966684489696375;
  // the ends are 0.8 apart: r = 1.6, K_13 = 1.5·(1 + √5·1.6 + (5/3)·2.56)·e^{−√5·1.6} = 0.370663015383177;
  // K_ii = 1.5 + 0.01. μ(x) = k*ᵀK⁻¹y and σ²(x) = 1.5 − k*ᵀK⁻¹k*, solved exactly with 30-digit
  // arithmetic (mpmath) from these formulas, independently of the code under test.
  const x = Float64Array.from([0.1, 0.5, 0.9]);
  const y = Float64Array.from([1, -0.5, 0.25]);
  const params = {
    inverseSquaredLengthScales: Float64Array.from([4]),
    signalVariance: 1.5,
    noiseVariance: 0.01,
  };
  const gp = new GaussianProcess(x, y, params, new Uint8Array(1));

  it("evaluates the kernel as written out", () => {
    expect(1.5 * matern52(0.64)).toBeCloseTo(0.966684489696375, 14);
    expect(1.5 * matern52(2.56)).toBeCloseTo(0.370663015383177, 14);
  });

  it.each([
    [0.3, 0.162541757196476, 0.0712885320921094],
    [0.5, -0.477867828787603, 0.00980628563616594],
    [1.0, 0.41945839376675, 0.0786999341251833],
  ])("at x = %f: mean %f, variance %f", (at, mean, variance) => {
    const prediction = gp.predict([at]);
    expect(prediction.mean).toBeCloseTo(mean, 12);
    expect(prediction.variance).toBeCloseTo(variance, 12);
  });

  it("gives the log marginal likelihood computed by hand (priors subtracted)", () => {
    const data = prepareTrainingData(x, y, 1, new Uint8Array(1));
    const theta = Float64Array.from([Math.log(4), Math.log(1.5), Math.log(0.01 - MINIMUM_NOISE_VARIANCE)]);
    const { value } = logPosteriorOfHyperparameters(data, theta);
    const logPrior = -(0.1 / 4 + 0.1 * 4) + (Math.log(1.5) - 1.5) + (0.1 * Math.log(0.01) - 30 * 0.01);
    expect(value - logPrior).toBeCloseTo(-4.40269453647348, 10);
  });

  it("has mean and variance gradients that match finite differences", () => {
    const rng = createRng(3);
    const d = 3;
    const n = 12;
    const points = Float64Array.from({ length: n * d }, () => rng.next());
    const values = Float64Array.from({ length: n }, () => rng.normal());
    const categorical = Uint8Array.from([0, 0, 1]);
    const model = new GaussianProcess(
      points,
      values,
      {
        inverseSquaredLengthScales: Float64Array.from([3, 0.7, 1.2]),
        signalVariance: 1.3,
        noiseVariance: 1e-3,
      },
      categorical,
    );
    const at = [0.37, 0.61, points[2] as number];
    const p = model.predictWithGradient(at, new Uint8Array(d));
    for (let k = 0; k < 2; k++) {
      const h = 1e-6;
      const up = model.predict(at.map((v, i) => (i === k ? v + h : v)));
      const down = model.predict(at.map((v, i) => (i === k ? v - h : v)));
      expect(p.meanGradient[k]).toBeCloseTo((up.mean - down.mean) / (2 * h), 6);
      expect(p.varianceGradient[k]).toBeCloseTo((up.variance - down.variance) / (2 * h), 6);
    }
    expect(p.meanGradient[2]).toBe(0);
  });

  it("sees categorical coordinates only as equal or different", () => {
    const model = new GaussianProcess(
      Float64Array.from([0.1, 0.9]),
      Float64Array.from([1, -1]),
      { inverseSquaredLengthScales: Float64Array.from([1]), signalVariance: 1, noiseVariance: 1e-4 },
      Uint8Array.from([1]),
    );
    // Any unseen category is equally far (distance 1) from both.
    expect(model.predict([0.5]).mean).toBeCloseTo(model.predict([0.3]).mean, 12);
    expect(model.predict([0.1]).mean).toBeCloseTo(1, 3);
  });
});

describe("log marginal likelihood", () => {
  const rng = createRng(11);
  const n = 15;
  const d = 3;
  const x = Float64Array.from({ length: n * d }, () => rng.next());
  const y = Float64Array.from(
    { length: n },
    (_, i) => Math.sin(6 * (x[i * d] as number)) + rng.normal() * 0.1,
  );
  const categorical = Uint8Array.from([0, 0, 1]);
  for (let i = 0; i < n; i++) x[i * d + 2] = Math.floor((x[i * d + 2] as number) * 3) / 3 + 1 / 6;
  const data = prepareTrainingData(x, y, d, categorical);

  it.each([
    [[0, 0, 0, 0, Math.log(1e-2)]],
    [[1.5, -2, 0.3, -0.4, Math.log(1e-4)]],
    [[-3, 2.2, -1, 1.1, Math.log(0.3)]],
  ])("has an analytic gradient equal to central finite differences at θ = %j", (theta) => {
    const at = Float64Array.from(theta);
    const { gradient } = logPosteriorOfHyperparameters(data, at);
    for (let j = 0; j < at.length; j++) {
      const h = 1e-5;
      const up = Float64Array.from(at);
      const down = Float64Array.from(at);
      up[j] = (up[j] as number) + h;
      down[j] = (down[j] as number) - h;
      const numeric =
        (logPosteriorOfHyperparameters(data, up).value - logPosteriorOfHyperparameters(data, down).value) /
        (2 * h);
      expect(gradient[j]).toBeCloseTo(numeric, 4);
    }
  });

  it("is improved by the fit over its starting point", () => {
    const start = Float64Array.from([0, 0, 0, 0, Math.log(1e-2 - MINIMUM_NOISE_VARIANCE)]);
    const params = fitKernelParams(data);
    const fitted = Float64Array.from([
      ...Array.from(params.inverseSquaredLengthScales, Math.log),
      Math.log(params.signalVariance),
      Math.log(params.noiseVariance - MINIMUM_NOISE_VARIANCE),
    ]);
    expect(logPosteriorOfHyperparameters(data, fitted).value).toBeGreaterThan(
      logPosteriorOfHyperparameters(data, start).value,
    );
    // The sine lives in the first coordinate: it gets a shorter length-scale than the noise-free second one.
    expect(params.inverseSquaredLengthScales[0]).toBeGreaterThan(
      params.inverseSquaredLengthScales[1] as number,
    );
  });

  it("has dm/d(r²) equal to the finite difference of m", () => {
    for (const r2 of [0, 0.01, 0.5, 3]) {
      const h = 1e-7;
      const numeric = (matern52(r2 + h) - matern52(Math.max(r2 - h, 0))) / (r2 >= h ? 2 * h : h);
      expect(matern52DerivativeBySquaredDistance(r2)).toBeCloseTo(numeric, 5);
    }
  });
});

describe("log expected improvement", () => {
  it.each([
    [0, 1],
    [0.5, 0.615690344192926],
    [1, 0.427583576155807],
    [2, 0.255395676310506],
    [5, 0.110704637733069],
    [30, 0.0187958888614168],
    [1000, 0.000564189301453388],
  ])("erfcx(%f) = %f", (x, expected) => {
    expect(Math.abs(erfcx(x) - expected) / expected).toBeLessThan(1e-13);
  });

  it("equals log(EI) where EI is well-conditioned", () => {
    for (let z = -5; z <= 5; z += 0.25) {
      const mean = 0.3;
      const stdDev = 0.7;
      const best = mean + z * stdDev;
      const ei = stdDev * (normalPdf(z) + z * normalCdf(z));
      expect(logExpectedImprovement(mean, stdDev, best).value).toBeCloseTo(Math.log(ei), 10);
    }
  });

  it.each([
    [-1, -2.48512102571264],
    [-5, -16.744301162661],
    [-40, -808.29856835662],
    [-1000, -500014.73445209116],
    [2, 0.697383545788228],
  ])("log h(%f) matches 30-digit arithmetic", (z, expected) => {
    expect(Math.abs(logH(z).value - expected) / Math.abs(expected)).toBeLessThan(1e-11);
  });

  it("stays finite, increasing and smooth where EI underflows to 0", () => {
    let previous = Number.NEGATIVE_INFINITY;
    for (const z of [-1e12, -1e9, -1e8, -1e6, -1e3, -60, -39, -38, -10, -1.0001, -1, -0.9999, 0]) {
      const { value, derivative } = logH(z);
      expect(Number.isFinite(value)).toBe(true);
      expect(value).toBeGreaterThan(previous);
      expect(derivative).toBeGreaterThan(0);
      previous = value;
    }
    expect(normalPdf(-40) + -40 * normalCdf(-40)).toBe(0);
    // Continuous across the branch at z = −1.
    expect(logH(-1 - 1e-12).value).toBeCloseTo(logH(-1 + 1e-12).value, 9);
  });

  it("has derivatives equal to finite differences on every branch", () => {
    for (const z of [-3e8, -2000, -30, -3, -1.5, -0.5, 0.7, 4]) {
      const h = Math.abs(z) * 1e-7 + 1e-7;
      const numeric = (logH(z + h).value - logH(z - h).value) / (2 * h);
      expect(Math.abs(logH(z).derivative - numeric) / Math.abs(numeric)).toBeLessThan(1e-5);
    }
    const at = logExpectedImprovement(0.2, 0.5, -0.4);
    const h = 1e-6;
    const byMean =
      (logExpectedImprovement(0.2 + h, 0.5, -0.4).value - logExpectedImprovement(0.2 - h, 0.5, -0.4).value) /
      (2 * h);
    const byStdDev =
      (logExpectedImprovement(0.2, 0.5 + h, -0.4).value - logExpectedImprovement(0.2, 0.5 - h, -0.4).value) /
      (2 * h);
    expect(at.byMean).toBeCloseTo(byMean, 6);
    expect(at.byStdDev).toBeCloseTo(byStdDev, 6);
  });
});

describe("linear algebra", () => {
  it("factors a positive definite matrix without jitter and inverts it", () => {
    const a = Float64Array.from([4, 2, 0.6, 2, 5, 1, 0.6, 1, 3]);
    const { factor, jitter } = choleskyWithJitter(a, 3);
    expect(jitter).toBe(0);
    const inverse = inverseFromCholesky(factor, 3);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let sum = 0;
        for (let k = 0; k < 3; k++) sum += (a[i * 3 + k] as number) * (inverse[k * 3 + j] as number);
        expect(sum).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    }
  });

  it("adds just enough jitter to factor a singular (rank-one) matrix", () => {
    const v = [1, 2, 3, 4];
    const a = Float64Array.from(
      { length: 16 },
      (_, p) => (v[Math.floor(p / 4)] as number) * (v[p % 4] as number),
    );
    const { factor, jitter } = choleskyWithJitter(a, 4);
    expect(jitter).toBeGreaterThan(0);
    expect(jitter).toBeLessThan(1e-3);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        let sum = 0;
        for (let k = 0; k < 4; k++) sum += (factor[i * 4 + k] as number) * (factor[j * 4 + k] as number);
        expect(sum).toBeCloseTo((a[i * 4 + j] as number) + (i === j ? jitter : 0), 9);
      }
    }
  });

  it("throws on a matrix that no small jitter can fix", () => {
    expect(() => choleskyWithJitter(Float64Array.from([1, 0, 0, -50]), 2)).toThrow(/positive/);
  });

  it("decomposes a symmetric matrix into eigenpairs", () => {
    const a = Float64Array.from([2, -1, 0.5, -1, 3, 0.2, 0.5, 0.2, 1]);
    const { values, vectors } = symmetricEigen(a, 3);
    for (let k = 0; k < 3; k++) {
      for (let i = 0; i < 3; i++) {
        let av = 0;
        for (let j = 0; j < 3; j++) av += (a[i * 3 + j] as number) * (vectors[j * 3 + k] as number);
        expect(av).toBeCloseTo((values[k] as number) * (vectors[i * 3 + k] as number), 12);
      }
    }
  });
});

describe("box L-BFGS", () => {
  it("finds Rosenbrock's minimum inside the box and a bound-constrained optimum on the bound", () => {
    const rosenbrock = (x: Float64Array) => {
      const [a, b] = [x[0] as number, x[1] as number];
      return {
        value: (1 - a) ** 2 + 100 * (b - a * a) ** 2,
        gradient: Float64Array.from([-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)]),
      };
    };
    const free = minimiseInBox(rosenbrock, [-1.2, 1], {
      lower: [-2, -2],
      upper: [2, 2],
      maxIterations: 200,
      gradientTolerance: 1e-8,
      relativeTolerance: 0,
    });
    expect(free.x[0]).toBeCloseTo(1, 4);
    expect(free.x[1]).toBeCloseTo(1, 4);
    const bounded = minimiseInBox(rosenbrock, [0, 0], {
      lower: [-2, -2],
      upper: [0.5, 2],
      maxIterations: 200,
      gradientTolerance: 1e-8,
      relativeTolerance: 0,
    });
    expect(bounded.x[0]).toBe(0.5);
    expect(bounded.x[1]).toBeCloseTo(0.25, 5);
  });
});
