/** Real short runs on MNIST: 8-bit costs little accuracy, 2-bit costs more; a whole trial end to end. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadBackend } from '../../src/engine/backends.js';
import compression, { buildModel, disposeModel, evaluate, quantizeTensor, splitDigits, trainPhase } from '../../src/objectives/compression/index.js';
import { Rng } from '../../src/math/index.js';

test('8-bit quantization costs little accuracy, 2-bit costs more', async () => {
  const { tf } = await loadBackend('wasm');
  const split = splitDigits(3000, 1000, 0);
  const model = buildModel(tf, { family: 'mlp', width: 64, depth: 1 }, 11);
  await trainPhase(tf, model, split.train, { epochs: 2, learningRate: 0.003, batchSize: 64, augmentation: 0, rand: new Rng(3) });
  const float = (await evaluate(tf, model, split.test)).accuracy;
  const original = model.weights.map((w) => w.clone());
  const at = async (bits: number) => {
    model.weights.forEach((w, i) => w.assign(quantizeTensor(tf, original[i]!, bits)));
    return (await evaluate(tf, model, split.test)).accuracy;
  };
  const q8 = await at(8);
  const q2 = await at(2);
  original.forEach((t) => t.dispose());
  disposeModel(model);
  assert.ok(float > 0.85, `the float model learned: ${float}`);
  assert.ok(float - q8 <= 0.01, `8-bit loses at most 1 point: ${float} → ${q8}`);
  assert.ok(q2 < q8 - 0.02, `2-bit loses clearly more than 8-bit: ${q8} vs ${q2}`);
});

test('a whole trial: distillation, pruning, quantization; metrics finite; per-epoch reports; abort stops it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ss-trial-'));
  try {
    const reports: [number, Record<string, number>][] = [];
    const options = {
      backend: 'wasm', family: 'mlp', epochs: 2, trainSamples: 1000, testSamples: 300, pruneEpochs: 1, qatEpochs: 1,
      teacher: { width: 32, depth: 1, epochs: 1 }, latencyRepeats: 3,
    };
    const ctx = { trial: 0, seed: 5, signal: new AbortController().signal, report: (s: number, m: Record<string, number>) => reports.push([s, { ...m }]), workdir: dir, studyDir: dir, options, study: 't' };
    const out = await compression({ width: 24, depth: 1, pruning: 0.6, bits: 4, temperature: 3 }, ctx);
    for (const k of ['accuracy', 'loss', 'params', 'nonzero_params', 'size_bits', 'macs', 'latency_ms', 'train_seconds', 'teacher_accuracy']) {
      assert.type(out[k], 'number', k);
      assert.ok(Number.isFinite(out[k] as number), `${k} = ${out[k]}`);
    }
    assert.is(out.backend, 'wasm');
    assert.ok((out.sparsity as number) >= 0.6 - 0.01, `sparsity ${out.sparsity}`);
    assert.ok((out.accuracy as number) > 0.6, `accuracy ${out.accuracy}`);
    const a = out.accuracy as number;
    assert.ok(Math.abs((out.accuracy_se as number) - Math.sqrt((a * (1 - a)) / 300)) < 1e-12, `accuracy_se ${out.accuracy_se}: the binomial standard error over the 300 test digits`);
    assert.is(out.params, 784 * 24 + 24 + 250);
    assert.ok((out.size_bits as number) < (out.params as number) * 32 / 4, `4-bit, 60% pruned is < 1/4 of float32: ${out.size_bits}`);
    assert.equal(reports.map(([s]) => s), [0, 1, 2, 3, 4], 'the planned size, then one report per epoch of training, pruning and QAT');
    const planned = reports[0]![1];
    assert.is(planned['params'], out.params);
    assert.is(planned['macs'], out.macs);
    // An upper bound: 4-bit quantization may round a few more weights to zero than pruning did.
    assert.ok(planned['size_bits']! >= (out.size_bits as number) && planned['size_bits']! < 1.05 * (out.size_bits as number), `planned ${planned['size_bits']} vs ${out.size_bits}`);

    const ac = new AbortController();
    const started = Date.now();
    setTimeout(() => ac.abort(new Error('trial timed out')), 300);
    await compression({ width: 24, depth: 1, pruning: 0, bits: 32, temperature: 'off' }, { ...ctx, signal: ac.signal, options: { ...options, epochs: 50 } }).then(
      () => assert.unreachable('an aborted trial must throw'),
      (err: Error) => assert.match(err.message, /timed out/),
    );
    assert.ok(Date.now() - started < 5000, 'stopped promptly');

    // A pruner's stop while the study's teacher trains lets the teacher finish (other trials need
    // it), then stops the trial; the teacher is saved for the next trial.
    const teacherDir = join(dir, 'pruned-study');
    const pruning = new AbortController();
    pruning.abort(new Error('pruned: rank 3 of 3 at the step-1 rung'));
    await compression({ width: 24, depth: 1, pruning: 0, bits: 32, temperature: 3 }, { ...ctx, studyDir: teacherDir, signal: pruning.signal }).then(
      () => assert.unreachable('a pruned trial must throw'),
      (err: Error) => assert.match(String(err.message ?? err), /pruned/),
    );
    assert.ok(readdirSync(teacherDir).some((f) => f.startsWith('teacher-')), `teacher saved: ${readdirSync(teacherDir).join(', ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('each epoch reports the accuracy of the quantized weights, as the final evaluation measures them', async () => {
  // No pruning and no QAT: after the last epoch nothing changes but quantization, so the last
  // report must be the final accuracy exactly. A float evaluation (what a pruner used to rank
  // by) would flatter this 2-bit network.
  const dir = mkdtempSync(join(tmpdir(), 'ss-trial-'));
  try {
    const reports: [number, Record<string, number>][] = [];
    const options = { backend: 'wasm', family: 'mlp', epochs: 2, trainSamples: 1000, testSamples: 300, pruneEpochs: 0, qatEpochs: 0, latencyRepeats: 1 };
    const ctx = { trial: 0, seed: 9, signal: new AbortController().signal, report: (s: number, m: Record<string, number>) => reports.push([s, { ...m }]), workdir: dir, studyDir: dir, options, study: 't' };
    const out = await compression({ width: 16, depth: 1, pruning: 0, bits: 2, temperature: 'off' }, ctx);
    assert.equal(reports.map(([s]) => s), [0, 1, 2]);
    assert.is(reports[2]![1]['accuracy'], out.accuracy, 'the last epoch reports what the trial ends with');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
