/**
 * bench:gpu's throughput trial, run by the pool on GPU workers: train a reference network
 * (../shared/reference/torch_train_bench.py's cnn or mlp, as the compression trial builds them)
 * with the compression trial's own training loop, after a warm-up that compiles the shaders, and
 * say how many samples it trained when. Options: net, batch, samples.
 */
import { loadBackend } from '../src/engine/index.js';
import { Rng } from '../src/math/index.js';
import { buildModel, DEFAULT_TEACHER, disposeModel, splitDigits, trainPhase, type Family } from '../src/objectives/compression/index.js';
import type { Objective } from '../src/objectives/index.js';

const objective: Objective = async (_params, ctx) => {
  const net = ctx.options.net as Family;
  const batch = Number(ctx.options.batch);
  const samples = Number(ctx.options.samples);
  const { tf, backend, device } = await loadBackend(ctx.device === 'gpu' ? 'webgpu' : 'wasm');
  const split = splitDigits(samples, 100, 0);
  const model = buildModel(tf, DEFAULT_TEACHER[net], ctx.seed);
  const settings = { learningRate: 1e-3, batchSize: batch, augmentation: 0, rand: new Rng(ctx.seed) };
  try {
    const warm = splitDigits(Math.min(samples, batch * 4), 100, 0);
    await trainPhase(tf, model, warm.train, { ...settings, epochs: 1 });
    const started = Date.now();
    await trainPhase(tf, model, split.train, { ...settings, epochs: 1 });
    // The last step's work may still be queued on the device: a read waits for it.
    await model.weights[0]!.data();
    return { samples, started, finished: Date.now(), backend, device };
  } finally {
    disposeModel(model);
  }
};

export default objective;
