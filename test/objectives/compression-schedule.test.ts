/** The learning-rate schedule of a training phase: its values, its errors, and that trainPhase follows it. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadBackend, type TF } from '../../src/engine/backends.js';
import { buildModel, disposeModel, learningRateAt, parseOptions, splitDigits, trainPhase, type LrSchedule, type Model } from '../../src/objectives/compression/index.js';
import { Rng } from '../../src/math/index.js';
import { ObjectiveError } from '../../src/errors.js';

let tf: TF;
test.before(async () => {
  tf = (await loadBackend('wasm')).tf;
});

test('constant keeps the peak; cosine starts at the peak, halves midway, decays monotonically towards 0', () => {
  for (let s = 0; s < 10; s++) assert.is(learningRateAt('constant', 0.002, s, 10), 0.002);
  const cos = Array.from({ length: 100 }, (_, s) => learningRateAt('cosine', 0.002, s, 100));
  assert.is(cos[0], 0.002);
  assert.ok(Math.abs(cos[50]! - 0.001) < 1e-12, `midway ${cos[50]}`);
  for (let s = 1; s < 100; s++) assert.ok(cos[s]! < cos[s - 1]!, `step ${s}: ${cos[s]} >= ${cos[s - 1]}`);
  assert.ok(cos[99]! > 0 && cos[99]! < 0.002 * 0.001, `last ${cos[99]}`);
});

test('schedule errors name the rule and the value', () => {
  assert.throws(() => learningRateAt('cosine', 0.001, 10, 10), (e: Error) => e instanceof ObjectiveError && /\[0, 10\), got 10/.test(e.message));
  assert.throws(() => learningRateAt('cosine', 0.001, 0, 0), (e: Error) => /total steps >= 1, got 0/.test(e.message));
  assert.throws(() => learningRateAt('step' as LrSchedule, 0.001, 0, 5), (e: Error) => /one of constant, cosine, got "step"/.test(e.message));
  assert.is(parseOptions({}).lrSchedule, 'constant');
  assert.is(parseOptions({ lrSchedule: 'cosine' }).lrSchedule, 'cosine');
  assert.throws(() => parseOptions({ lrSchedule: 'step' }), (e: Error) => /lrSchedule/.test(e.message) && /"step"/.test(e.message));
});

test('trainPhase follows the schedule: cosine moves the weights less than constant from the same start', async () => {
  const split = splitDigits(512, 10, 1);
  const displacement = async (schedule: LrSchedule): Promise<number> => {
    const model: Model = buildModel(tf, { family: 'mlp', width: 16, depth: 1 }, 7);
    const before = model.weights.map((w) => w.dataSync().slice());
    await trainPhase(tf, model, split.train, { epochs: 1, learningRate: 0.01, schedule, batchSize: 32, augmentation: 0, rand: new Rng(3) });
    let sq = 0;
    model.weights.forEach((w, i) => w.dataSync().forEach((v, j) => (sq += (v - before[i]![j]!) ** 2)));
    disposeModel(model);
    return Math.sqrt(sq);
  };
  const constant = await displacement('constant');
  const cosine = await displacement('cosine');
  // Adam's steps are about lr per weight: 16 cosine steps sum to ~0.53 of 16 constant ones.
  assert.ok(cosine < 0.8 * constant, `cosine ${cosine} vs constant ${constant}`);
  assert.ok(cosine > 0.3 * constant, `cosine ${cosine} vs constant ${constant}`);
});

test.run();
