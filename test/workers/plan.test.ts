/** The thread policy: the budget's CPU and GPU workers, capped by what the objective can use, with a note saying why. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { poolNeeds } from '../../src/objectives/index.js';
import { DEFAULT_GPU_WORKERS, planWorkers } from '../../src/workers/index.js';

test('an objective without limits gets the budget', () => {
  assert.equal(planWorkers({ workers: 6 }, { maxThreads: Infinity }), { workers: 6, gpuWorkers: 0 });
});

test('a limited objective is capped, and the note names the limit', () => {
  const plan = planWorkers({ workers: 4 }, { maxThreads: 1, limitedBy: 'backend tensorflow' });
  assert.is(plan.workers, 1);
  assert.match(plan.note ?? '', /backend tensorflow supports 1 worker thread per process: running 1 instead of 4/);
  assert.equal(planWorkers({ workers: 1 }, { maxThreads: 1 }), { workers: 1, gpuWorkers: 0 });
});

const gpu = (only: boolean) => ({ maxThreads: only ? 0 : 2, limitedBy: only ? 'backend webgpu' : 'backend wasm', gpu: { device: 'Some GPU (vendor arch)', only } });

test('a GPU beside the CPU: GPU workers added (the budget\'s, else the default), CPU workers kept', () => {
  assert.equal(planWorkers({ workers: 2 }, gpu(false)), { workers: 2, gpuWorkers: DEFAULT_GPU_WORKERS, gpuDevice: 'Some GPU (vendor arch)' });
  assert.equal(planWorkers({ workers: 2, gpuWorkers: 3 }, gpu(false)), { workers: 2, gpuWorkers: 3, gpuDevice: 'Some GPU (vendor arch)' });
  assert.equal(planWorkers({ workers: 2, gpuWorkers: 0 }, gpu(false)), { workers: 2, gpuWorkers: 0 }, 'gpuWorkers 0 keeps the CPU path');
});

test('a GPU backend by name: every worker is a GPU worker', () => {
  assert.equal(planWorkers({ workers: 4 }, gpu(true)), { workers: 0, gpuWorkers: 4, gpuDevice: 'Some GPU (vendor arch)' });
  assert.equal(planWorkers({ workers: 4, gpuWorkers: 2 }, gpu(true)), { workers: 0, gpuWorkers: 2, gpuDevice: 'Some GPU (vendor arch)' });
  assert.throws(() => planWorkers({ workers: 4, gpuWorkers: 0 }, gpu(true)), /gpu workers: backend webgpu runs only on GPU workers, got 0/);
});

test('GPU workers asked for without a usable GPU are refused with the reason', () => {
  assert.throws(() => planWorkers({ workers: 2, gpuWorkers: 1 }, { maxThreads: 2, noGpu: 'no Vulkan loader: libvulkan.so.1 not found' }), /^gpu workers: 1 asked for, but no Vulkan loader: libvulkan\.so\.1 not found$/);
  assert.throws(() => planWorkers({ workers: 2, gpuWorkers: 1 }, { maxThreads: Infinity }), /but the objective cannot use a GPU/);
});

test('objectives declare their needs: benchmarks take any number, compression follows its backend', async () => {
  assert.is((await poolNeeds({ builtin: 'zdt1', options: {} })).maxThreads, Infinity);
  const cpu = await poolNeeds({ builtin: 'compression', options: { backend: 'cpu' } });
  assert.ok(cpu.maxThreads >= 1 && Number.isFinite(cpu.maxThreads));
  assert.is(cpu.limitedBy, 'backend cpu');
  assert.is((await poolNeeds({ builtin: 'compression', options: { backend: 'tensorflow' } })).maxThreads, 1);
});

test.run();
