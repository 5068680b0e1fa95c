/** Each stage of the compression trial on tiny networks: pruning, quantization, distillation, size, options, IO. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadBackend, type TF } from '../../src/engine/backends.js';
import {
  buildModel,
  channelScales,
  disposeModel,
  distillationLoss,
  fileSystemHandler,
  layerSpecs,
  layerSizeBits,
  macCount,
  magnitudeMask,
  measuredSparsity,
  paramCount,
  quantizeTensor,
  resolveSettings,
  scheduledSparsity,
  sizeBits,
  splitDigits,
  trainPhase,
} from '../../src/objectives/compression/index.js';
import { Rng } from '../../src/math/index.js';
import { augmentBatch } from '../../src/objectives/compression/augment.js';
import { gatherPixels } from '../../src/objectives/compression/data.js';
import { residentPixels } from '../../src/objectives/compression/resident.js';

let tf: TF;
test.before(async () => {
  tf = (await loadBackend('wasm')).tf;
});

test('split: deterministic by seed, disjoint, sizes as asked', () => {
  const a = splitDigits(800, 200, 3);
  const b = splitDigits(800, 200, 3);
  const c = splitDigits(800, 200, 4);
  assert.equal(Array.from(a.train.indices), Array.from(b.train.indices));
  assert.not.equal(Array.from(a.train.indices), Array.from(c.train.indices));
  assert.is(a.train.indices.length, 800);
  assert.is(a.test.indices.length, 200);
  const train = new Set(a.train.indices);
  assert.ok(Array.from(a.test.indices).every((i) => !train.has(i)), 'train and test are disjoint');
  assert.is(a.train.pool.size, 10_000);
  assert.throws(() => splitDigits(9000, 2000, 0), /trainSamples \+ testSamples must be <= 10000/);
});

test('models: layer shapes, params and MACs of the reference cnn and an mlp', () => {
  const cnn = layerSpecs({ family: 'cnn', width: 32, depth: 2 });
  assert.equal(cnn.map((l) => l.weightShape), [[3, 3, 1, 32], [3, 3, 32, 64], [1600, 64], [64, 10]]);
  // Same layers as shared/reference/torch_train_bench.py's cnn: 320 + 18,496 + 102,464 + 650.
  assert.is(paramCount(cnn), 121_930);
  assert.is(macCount(cnn), 26 * 26 * 9 * 32 + 11 * 11 * 9 * 32 * 64 + 1600 * 64 + 640);
  const mlp = layerSpecs({ family: 'mlp', width: 256, depth: 2 });
  assert.is(paramCount(mlp), 784 * 256 + 256 + 256 * 256 + 256 + 2570);
  assert.throws(() => layerSpecs({ family: 'cnn', width: 0, depth: 1 }), /width must be an integer in 1\.\.4096, got 0/);
});

test('pruning: the mask hits the ratio exactly per layer, and the schedule ramps to it', async () => {
  const w = tf.randomNormal([3, 3, 4, 8], 0, 1, 'float32', 1);
  for (const ratio of [0, 0.1, 0.5, 0.9, 0.95]) {
    const mask = await magnitudeMask(tf, w, ratio);
    const pruned = w.mul(mask);
    const s = await measuredSparsity([pruned]);
    assert.ok(Math.abs(s - ratio) < 0.01, `ratio ${ratio}: measured ${s}`);
    // The zeroed weights are the smallest: every kept |w| >= every pruned |w|.
    const v = w.dataSync();
    const m = mask.dataSync();
    let maxPruned = 0;
    let minKept = Infinity;
    v.forEach((x, i) => (m[i] ? (minKept = Math.min(minKept, Math.abs(x))) : (maxPruned = Math.max(maxPruned, Math.abs(x)))));
    assert.ok(maxPruned <= minKept, `ratio ${ratio}: pruned ${maxPruned} > kept ${minKept}`);
    mask.dispose();
    pruned.dispose();
  }
  w.dispose();
  assert.is(scheduledSparsity(0.8, 0, 10), 0);
  assert.is(scheduledSparsity(0.8, 10, 10), 0.8);
  assert.ok(scheduledSparsity(0.8, 5, 10) > 0.4, 'cubic schedule prunes early');
});

test('pruning during fine-tuning: measured sparsity within 1% of the request, masks held fixed', async () => {
  const split = splitDigits(256, 64, 0);
  const model = buildModel(tf, { family: 'mlp', width: 16, depth: 1 }, 5);
  const res = await trainPhase(tf, model, split.train, { epochs: 2, learningRate: 0.01, batchSize: 32, augmentation: 0, rand: new Rng(1), pruneTo: 0.7 });
  assert.ok(Math.abs(await measuredSparsity(model.weights) - 0.7) < 0.01, `sparsity ${await measuredSparsity(model.weights)}`);
  // Another phase with the masks fixed keeps the same zeros.
  const zerosBefore = model.weights.map((w) => Array.from(w.dataSync()).map((x) => x === 0));
  await trainPhase(tf, model, split.train, { epochs: 1, learningRate: 0.01, batchSize: 32, augmentation: 0, rand: new Rng(2), masks: res.masks });
  model.weights.forEach((w, i) => {
    const v = w.dataSync();
    zerosBefore[i]!.forEach((z, j) => z && assert.is(v[j], 0));
  });
  res.masks?.forEach((m) => m.dispose());
  disposeModel(model);
});

test('quantization: at most 2^bits distinct values per output channel, zeros kept, scales per channel', () => {
  const w = tf.tidy(() => tf.randomNormal([3, 3, 2, 5], 0, 1, 'float32', 7).mul(tf.tensor1d([1, 10, 0.1, 3, 0.5])));
  for (const bits of [2, 3, 4, 8]) {
    const q = quantizeTensor(tf, w, bits);
    const v = q.arraySync() as number[][][][];
    for (let c = 0; c < 5; c++) {
      const values = new Set<number>();
      for (const a of v) for (const b of a) for (const d of b) values.add(d[c]!);
      assert.ok(values.size <= 2 ** bits, `bits ${bits} channel ${c}: ${values.size} distinct`);
      assert.ok(values.size >= Math.min(3, 2 ** bits - 1), `bits ${bits} channel ${c}: uses its levels (${values.size})`);
    }
    q.dispose();
  }
  // Error bounded by half a step per channel.
  const q8 = quantizeTensor(tf, w, 8);
  const scales = channelScales(tf, w, 8).dataSync();
  const err = tf.tidy(() => q8.sub(w).abs().max([0, 1, 2]).dataSync());
  err.forEach((e, c) => assert.ok(e <= scales[c]! / 2 + 1e-6, `channel ${c}: error ${e} > half step ${scales[c]! / 2}`));
  const zeros = tf.tensor2d([[0, 1], [0.6, 0], [-1, 0.25]]);
  assert.equal(Array.from(quantizeTensor(tf, zeros, 2).dataSync()), [0, 1, 1, 0, -1, 0]);
  assert.throws(() => quantizeTensor(tf, zeros, 1), /bits must be an integer in 2\.\.32, got 1/);
  q8.dispose();
  w.dispose();
  zeros.dispose();
});

test('distillation loss matches a hand computation', () => {
  const student = [[1, 2, 0.5], [0, -1, 3]];
  const teacher = [[2, 1, 0], [1, 0, 4]];
  const labels = [[0, 1, 0], [0, 0, 1]];
  const T = 4;
  const alpha = 0.7;
  const softmax = (z: number[], t: number) => {
    const e = z.map((x) => Math.exp(x / t));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / s);
  };
  let kl = 0;
  let ce = 0;
  for (let i = 0; i < 2; i++) {
    const pt = softmax(teacher[i]!, T);
    const ps = softmax(student[i]!, T);
    kl += pt.reduce((s, p, k) => s + p * Math.log(p / ps[k]!), 0) / 2;
    ce += -Math.log(softmax(student[i]!, 1)[labels[i]!.indexOf(1)]!) / 2;
  }
  const expected = alpha * T * T * kl + (1 - alpha) * ce;
  const got = tf.tidy(() => distillationLoss(tf, tf.tensor2d(student), tf.tensor2d(labels), tf.tensor2d(teacher), { temperature: T, alpha }).dataSync()[0]!);
  assert.ok(Math.abs(got - expected) < 1e-5, `got ${got}, expected ${expected}`);
  const plain = tf.tidy(() => distillationLoss(tf, tf.tensor2d(student), tf.tensor2d(labels), tf.tensor2d(teacher), { temperature: 1, alpha }).dataSync()[0]!);
  assert.ok(Math.abs(plain - ce) < 1e-5, `temperature 1 is plain cross-entropy: ${plain} vs ${ce}`);
});

test('size_bits: dense, sparse and quantized storage by the documented formula', () => {
  const [l] = layerSpecs({ family: 'mlp', width: 10, depth: 0 }); // dense 784 × 10
  const n = 7840;
  assert.is(layerSizeBits(l!, n, 32), n * 32 + 10 * 32, 'float32, dense: no scales');
  assert.is(layerSizeBits(l!, n, 8), n * 8 + 10 * 32 + 10 * 32, '8-bit dense: values + scales + biases');
  // 10% non-zero at 8 bits: 784 values + positions of 13 bits (784·13 = 10,192 > 7,840 bitmap bits → bitmap).
  assert.is(layerSizeBits(l!, 784, 8), 784 * 8 + 7840 + 640);
  // 1% non-zero: 78 positions × 13 bits = 1,014 < bitmap.
  assert.is(layerSizeBits(l!, 78, 8), 78 * 8 + 78 * 13 + 640);
  const layers = layerSpecs({ family: 'mlp', width: 4, depth: 1 });
  assert.is(sizeBits(layers, [784 * 4, 40], 32), (784 * 4 + 40) * 32 + 14 * 32);
});

test('options: knobs from params over options, errors name the field and value', () => {
  const s = resolveSettings({ width: 8, depth: 1, pruning: 0.5, bits: 4, temperature: 'off' }, { family: 'mlp', epochs: 2 });
  assert.equal(s.student, { family: 'mlp', width: 8, depth: 1 });
  assert.is(s.temperature, 0);
  assert.equal(s.teacher.spec, { family: 'mlp', width: 256, depth: 2 });
  assert.throws(() => resolveSettings({ width: 8 }, { epochs: 0 }), /compression option epochs: .*got 0/);
  assert.throws(() => resolveSettings({ width: 8 }, { epoch: 3 }), /compression option/);
  assert.throws(() => resolveSettings({ widht: 8 }, {}), /unknown: widht/);
  assert.throws(() => resolveSettings({ bits: 1 }, {}), /bits must be an integer in 2\.\.32, got 1/);
  assert.throws(() => resolveSettings({ pruning: 1.5 }, {}), /pruning must be a ratio in \[0, 0\.99\], got 1\.5/);
  assert.throws(() => resolveSettings({}, { backend: 'gpu' }), /compression option backend/);
  assert.is(resolveSettings({}, { backend: 'webgpu' }).options.backend, 'webgpu');
  assert.is(resolveSettings({}, {}).options.evalBatchSize, 500);
  assert.throws(() => resolveSettings({}, { evalBatchSize: 0 }), /compression option evalBatchSize: .*got 0/);
});

test('resident digits: uploaded once per set, the same rows as gathering on the host', async () => {
  const split = splitDigits(40, 8, 0);
  const a = residentPixels(tf, split.train);
  assert.is(residentPixels(tf, splitDigits(40, 8, 0).train), a, 'the same set is not uploaded again');
  const rows = Int32Array.from([3, 0, 39]);
  const onDevice = tf.gather(a, tf.tensor1d(rows, 'int32'));
  assert.equal(Array.from(await onDevice.data()), Array.from(gatherPixels(split.train, rows)));
  onDevice.dispose();
  const other = residentPixels(tf, splitDigits(40, 8, 1).train);
  assert.is.not(other, a, 'another set replaces it');
  assert.ok(a.isDisposed, 'and the old one is freed');
});

test('augmentation: strength 0 is the identity; shifts keep the image mass roughly', () => {
  const split = splitDigits(4, 1, 0);
  const img = new Float32Array(split.train.pool.pixels.subarray(0, 784));
  const copy = new Float32Array(img);
  augmentBatch(copy, 0, new Rng(1));
  assert.equal(Array.from(copy), Array.from(img));
  augmentBatch(copy, 1, new Rng(1));
  assert.not.equal(Array.from(copy), Array.from(img));
  const mass = (a: Float32Array) => a.reduce((s, x) => s + x, 0);
  assert.ok(Math.abs(mass(copy) - mass(img)) / mass(img) < 0.25);
});

test('file-system IO handler: tfjs artifacts round trip', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ss-io-'));
  const a = tf.tensor2d([[1, 2], [3, 4]]);
  const { data, specs } = await tf.io.encodeWeights([{ name: 'a', tensor: a }]);
  await fileSystemHandler(join(dir, 'm')).save({ modelTopology: { x: 1 }, weightSpecs: specs, weightData: data, format: 'f' });
  const art = await fileSystemHandler(join(dir, 'm')).load();
  const back = tf.io.decodeWeights(art.weightData!, art.weightSpecs!);
  assert.equal(Array.from(back['a']!.dataSync()), [1, 2, 3, 4]);
  assert.equal(art.modelTopology, { x: 1 });
  a.dispose();
  back['a']!.dispose();
  rmSync(dir, { recursive: true, force: true });
});

test.run();
