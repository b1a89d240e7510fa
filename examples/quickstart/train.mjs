// A small, real training job for the hypertune quickstart: a one-hidden-layer
// MLP (ReLU, softmax) trained with mini-batch SGD on the UCI handwritten digits
// (1797 8x8 images, see data/README.md). Plain Node.js, no dependencies.
//
//   node train.mjs --lr=0.1 --hidden=64 --l2=0.0001 --epochs=20 --seed=1
//
// After every epoch it prints the canonical hypertune metric line:
//   hypertune: step=3 val_accuracy=0.95 loss=0.21
// (`loss` is the mean training cross-entropy of that epoch).

import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

const FEATURES = 64;
const CLASSES = 10;
const BATCH = 32;
const VALIDATION_FRACTION = 0.2;
const SPLIT_SEED = 20240611; // fixed, so every trial is scored on the same validation set

function parseArgs(argv) {
  const args = { lr: 0.1, hidden: 32, l2: 1e-4, epochs: 20, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const match = /^--(\w+)(?:=(.*))?$/.exec(argv[i]);
    if (!match || !(match[1] in args)) throw new Error(`unknown argument ${argv[i]}`);
    const raw = match[2] ?? argv[++i];
    const value = Number(raw);
    if (raw === undefined || raw === "" || !Number.isFinite(value))
      throw new Error(`--${match[1]} needs a number`);
    args[match[1]] = value;
  }
  for (const name of ["hidden", "epochs"]) {
    if (!Number.isInteger(args[name]) || args[name] < 1)
      throw new Error(`--${name} must be a positive integer`);
  }
  if (args.lr <= 0 || args.l2 < 0) throw new Error("--lr must be > 0 and --l2 >= 0");
  return args;
}

// mulberry32: tiny seeded PRNG, so that a trial is reproducible from its seed.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(array, random) {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [array[i], array[j]] = [array[j], array[i]];
  }
  return array;
}

function loadDigits() {
  const csv = gunzipSync(readFileSync(new URL("./data/digits.csv.gz", import.meta.url))).toString("utf8");
  const rows = csv.trim().split("\n");
  const x = new Float64Array(rows.length * FEATURES);
  const y = new Int32Array(rows.length);
  rows.forEach((row, r) => {
    const cells = row.split(",").map(Number);
    for (let f = 0; f < FEATURES; f++) x[r * FEATURES + f] = cells[f] / 16; // pixels are 0..16
    y[r] = cells[FEATURES];
  });
  return { x, y, n: rows.length };
}

function createModel(hidden, random) {
  // He-uniform init for the ReLU layer, Glorot-uniform for the softmax layer.
  const init = (size, fanIn, fanOut, relu) => {
    const limit = relu ? Math.sqrt(6 / fanIn) : Math.sqrt(6 / (fanIn + fanOut));
    return Float64Array.from({ length: size }, () => (random() * 2 - 1) * limit);
  };
  return {
    hidden,
    w1: init(hidden * FEATURES, FEATURES, hidden, true),
    b1: new Float64Array(hidden),
    w2: init(CLASSES * hidden, hidden, CLASSES, false),
    b2: new Float64Array(CLASSES),
  };
}

// Forward pass for one example; fills h (hidden activations) and p (class probabilities).
function forward(model, x, offset, h, p) {
  const { hidden, w1, b1, w2, b2 } = model;
  for (let j = 0; j < hidden; j++) {
    let s = b1[j];
    const row = j * FEATURES;
    for (let f = 0; f < FEATURES; f++) s += w1[row + f] * x[offset + f];
    h[j] = Math.max(s, 0);
  }
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < CLASSES; c++) {
    let s = b2[c];
    const row = c * hidden;
    for (let j = 0; j < hidden; j++) s += w2[row + j] * h[j];
    p[c] = s;
    if (s > max) max = s;
  }
  let sum = 0;
  for (let c = 0; c < CLASSES; c++) {
    p[c] = Math.exp(p[c] - max);
    sum += p[c];
  }
  for (let c = 0; c < CLASSES; c++) p[c] /= sum;
}

function trainEpoch(model, data, indices, lr, l2, random) {
  const { hidden, w1, b1, w2, b2 } = model;
  const g1 = new Float64Array(w1.length);
  const gb1 = new Float64Array(hidden);
  const g2 = new Float64Array(w2.length);
  const gb2 = new Float64Array(CLASSES);
  const h = new Float64Array(hidden);
  const p = new Float64Array(CLASSES);
  const dh = new Float64Array(hidden);
  let lossSum = 0;
  shuffle(indices, random);
  for (let start = 0; start < indices.length; start += BATCH) {
    const end = Math.min(start + BATCH, indices.length);
    g1.fill(0);
    gb1.fill(0);
    g2.fill(0);
    gb2.fill(0);
    for (let k = start; k < end; k++) {
      const i = indices[k];
      const offset = i * FEATURES;
      forward(model, data.x, offset, h, p);
      const label = data.y[i];
      lossSum -= Math.log(Math.max(p[label], 1e-300));
      dh.fill(0);
      for (let c = 0; c < CLASSES; c++) {
        const d = p[c] - (c === label ? 1 : 0); // softmax + cross-entropy gradient
        gb2[c] += d;
        const row = c * hidden;
        for (let j = 0; j < hidden; j++) {
          g2[row + j] += d * h[j];
          dh[j] += d * w2[row + j];
        }
      }
      for (let j = 0; j < hidden; j++) {
        if (h[j] <= 0) continue;
        const d = dh[j];
        gb1[j] += d;
        const row = j * FEATURES;
        for (let f = 0; f < FEATURES; f++) g1[row + f] += d * data.x[offset + f];
      }
    }
    const step = lr / (end - start);
    for (let q = 0; q < w1.length; q++) w1[q] -= step * g1[q] + lr * l2 * w1[q];
    for (let q = 0; q < w2.length; q++) w2[q] -= step * g2[q] + lr * l2 * w2[q];
    for (let j = 0; j < hidden; j++) b1[j] -= step * gb1[j];
    for (let c = 0; c < CLASSES; c++) b2[c] -= step * gb2[c];
  }
  return lossSum / indices.length;
}

function accuracy(model, data, indices) {
  const h = new Float64Array(model.hidden);
  const p = new Float64Array(CLASSES);
  let correct = 0;
  for (const i of indices) {
    forward(model, data.x, i * FEATURES, h, p);
    let best = 0;
    for (let c = 1; c < CLASSES; c++) if (p[c] > p[best]) best = c;
    if (best === data.y[i]) correct++;
  }
  return correct / indices.length;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const data = loadDigits();
  const order = shuffle(
    Array.from({ length: data.n }, (_, i) => i),
    rng(SPLIT_SEED),
  );
  const validationSize = Math.round(data.n * VALIDATION_FRACTION);
  const validation = order.slice(0, validationSize);
  const train = order.slice(validationSize);
  const random = rng(args.seed);
  const model = createModel(args.hidden, random);
  for (let epoch = 1; epoch <= args.epochs; epoch++) {
    const loss = trainEpoch(model, data, train, args.lr, args.l2, random);
    if (!Number.isFinite(loss)) {
      // A diverged run is a failed trial, not a metric: NaN is not a valid value.
      console.error(`training diverged at epoch ${epoch} (lr=${args.lr}); giving up`);
      process.exit(1);
    }
    const valAccuracy = accuracy(model, data, validation);
    console.log(
      `hypertune: step=${epoch} val_accuracy=${valAccuracy.toFixed(4)} loss=${loss.toPrecision(4)}`,
    );
  }
}

main();
