#!/usr/bin/env node
// make-worked-examples.mjs — writes the larger worked examples of the step-through view
// (assets/worked-examples/deep-8-4-2-4-8.json and assets/worked-examples/bars-16-8-16.json).
//
// Their weights are not typed by hand: they are Glorot-uniform draws from a named seed, made
// with the same generator and the same order as the engine's make_autoencoder (src/ae/rng.h,
// src/ae/autoencoder.h):
//   rng = xoshiro256** seeded through splitmix64 with `seed`
//   for each layer, W (n_out × n_in) filled in column-major order (Eigen's storage order) with
//   W ~ U(−r, r), r = √(6 / (n_in + n_out));  b = 0
// so "New seed" in the app with the same seed gives exactly these weights, and the numbers are
// written in full (shortest round-trip) precision.
//
//   node scripts/make-worked-examples.mjs            writes both files into assets/worked-examples/
//   node scripts/make-worked-examples.mjs --check    exits 1 if a file differs from what it would write
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MASK = (1n << 64n) - 1n;

// splitmix64 → xoshiro256**, as ae::Rng.
class Rng {
  constructor(seed) {
    let x = BigInt(seed) & MASK;
    this.s = [];
    for (let i = 0; i < 4; ++i) {
      x = (x + 0x9E3779B97F4A7C15n) & MASK;
      let z = x;
      z = ((z ^ (z >> 30n)) * 0xBF58476D1CE4E5B9n) & MASK;
      z = ((z ^ (z >> 27n)) * 0x94D049BB133111EBn) & MASK;
      this.s.push(z ^ (z >> 31n));
    }
  }
  static rotl(v, k) { return ((v << BigInt(k)) | (v >> BigInt(64 - k))) & MASK; }
  nextU64() {
    const s = this.s;
    const result = (Rng.rotl((s[1] * 5n) & MASK, 7) * 9n) & MASK;
    const t = (s[1] << 17n) & MASK;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = Rng.rotl(s[3], 45);
    return result;
  }
  uniform() { return Number(this.nextU64() >> 11n) * 2 ** -53; }  // [0, 1), 53 random bits
  uniformIn(lo, hi) { return lo + (hi - lo) * this.uniform(); }
}

// Layers as make_autoencoder builds them: Glorot uniform W, zero b. sizes = [n_0, n_1, …, n_L].
function glorotLayers(sizes, activations, seed) {
  const rng = new Rng(seed);
  const layers = [];
  for (let k = 1; k < sizes.length; ++k) {
    const nIn = sizes[k - 1], nOut = sizes[k];
    const r = Math.sqrt(6 / (nIn + nOut));
    const W = Array.from({ length: nOut }, () => new Array(nIn).fill(0));
    for (let c = 0; c < nIn; ++c)      // column-major, as Eigen stores W
      for (let i = 0; i < nOut; ++i) W[i][c] = rng.uniformIn(-r, r);
    layers.push({ activation: activations[k - 1], W, b: new Array(nOut).fill(0) });
  }
  return layers;
}

// ---- The examples ------------------------------------------------------------------------------

// 1. The 8-4-2-4-8 "encoder problem" (after Ackley, Hinton and Sejnowski's 8-3-8 encoder): eight
//    one-hot inputs must pass through a 2-unit code. Small enough to read every number, big
//    enough that the step-through view draws heatmaps.
function deepEncoder() {
  const seed = 7;
  const sizes = [8, 4, 2, 4, 8];
  const activations = ['tanh', 'tanh', 'tanh', 'sigmoid'];
  const inputs = Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => (i === j ? 1 : 0)));
  return {
    file: 'deep-8-4-2-4-8.json',
    json: {
      name: 'A deeper network: the 8-4-2-4-8 encoder problem',
      description:
        'Eight one-hot inputs (a batch of all eight) squeezed through a 2-unit tanh code and decoded by sigmoid units, ' +
        'trained with binary cross-entropy and η = 0.3 (at η = 0.5 it learns faster, then saturates and gets stuck after about 1,700 steps): the eight codes spread out over the square in a few hundred steps. Four layers, so the hidden deltas are passed down three times. ' +
        `Weights: Glorot uniform from seed ${seed}, biases 0 (scripts/make-worked-examples.mjs; "New seed" ${seed} in the app gives the same numbers).`,
      weights_from: { init: 'glorot_uniform', seed, biases: 0, script: 'scripts/make-worked-examples.mjs' },
      layers: glorotLayers(sizes, activations, seed),
      inputs,
      code_layer: 1,
      loss: { kind: 'binary_cross_entropy', units: 'sum', batch: 'mean' },
      optimizer: { kind: 'sgd', learning_rate: 0.3, update_biases: true },
      steps: 1,
    },
  };
}

// 2. 16-8-16 on 4×4 bar images: the four horizontal and the four vertical bars (pixels row by
//    row). 16 units in a column are too many to draw as circles, so the view shows blocks.
function bars() {
  const seed = 3;
  const sizes = [16, 8, 16];
  const activations = ['sigmoid', 'sigmoid'];
  const inputs = [];
  for (let r = 0; r < 4; ++r) inputs.push(Array.from({ length: 16 }, (_, p) => (Math.floor(p / 4) === r ? 1 : 0)));
  for (let c = 0; c < 4; ++c) inputs.push(Array.from({ length: 16 }, (_, p) => (p % 4 === c ? 1 : 0)));
  return {
    file: 'bars-16-8-16.json',
    json: {
      name: 'Heatmaps: a 16-8-16 autoencoder on 4×4 bars',
      description:
        'Each input is a 4×4 image (pixels row by row) of one horizontal or one vertical bar: a batch of all eight. ' +
        'An 8-unit sigmoid code, sigmoid outputs, binary cross-entropy, η = 1. Too many units to draw one by one, ' +
        'so each layer is a column of cells and each W a heatmap. ' +
        `Weights: Glorot uniform from seed ${seed}, biases 0 (scripts/make-worked-examples.mjs; "New seed" ${seed} in the app gives the same numbers).`,
      weights_from: { init: 'glorot_uniform', seed, biases: 0, script: 'scripts/make-worked-examples.mjs' },
      layers: glorotLayers(sizes, activations, seed),
      inputs,
      code_layer: 0,
      loss: { kind: 'binary_cross_entropy', units: 'sum', batch: 'mean' },
      optimizer: { kind: 'sgd', learning_rate: 1.0, update_biases: true },
      steps: 1,
    },
  };
}

// JSON with one matrix row or one sample per line, numbers in shortest round-trip form.
function format(obj) {
  const rowsOnOneLine = (key, value) => value;
  let text = JSON.stringify(obj, rowsOnOneLine, 2);
  // Collapse arrays of numbers onto one line: [\n  1,\n  2\n] → [1, 2].
  text = text.replace(/\[\s*(-?[\d.e+-]+(?:,\s*-?[\d.e+-]+)*)\s*\]/g, (_, inner) => '[' + inner.split(/,\s*/).join(', ') + ']');
  return text + '\n';
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
let stale = 0;
for (const { file, json } of [deepEncoder(), bars()]) {
  const path = join(root, 'assets', 'lessons', file);
  const text = format(json);
  if (check) {
    let old = '';
    try { old = readFileSync(path, 'utf8'); } catch { /* missing */ }
    if (old !== text) { console.error(`${path} is not what scripts/make-worked-examples.mjs writes`); ++stale; }
  } else {
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  }
}
process.exit(stale ? 1 : 0);
