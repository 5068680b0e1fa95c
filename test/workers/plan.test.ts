/** The thread policy: the budget's workers, capped by what the objective can use, with a note saying why. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { poolNeeds } from '../../src/objectives/index.js';
import { planWorkers } from '../../src/workers/index.js';

test('an objective without limits gets the budget', () => {
  assert.equal(planWorkers({ workers: 6 }, { maxThreads: Infinity }), { workers: 6, gpuWorkers: 0 });
});

test('a limited objective is capped, and the note names the limit', () => {
  const plan = planWorkers({ workers: 4 }, { maxThreads: 1, limitedBy: 'backend tensorflow' });
  assert.is(plan.workers, 1);
  assert.match(plan.note ?? '', /backend tensorflow supports 1 worker thread per process: running 1 instead of 4/);
  assert.equal(planWorkers({ workers: 1 }, { maxThreads: 1 }), { workers: 1, gpuWorkers: 0 });
});

test('objectives declare their needs: benchmarks take any number, compression follows its backend', async () => {
  assert.is((await poolNeeds({ builtin: 'zdt1', options: {} })).maxThreads, Infinity);
  const cpu = await poolNeeds({ builtin: 'compression', options: { backend: 'cpu' } });
  assert.ok(cpu.maxThreads >= 1 && Number.isFinite(cpu.maxThreads));
  assert.is(cpu.limitedBy, 'backend cpu');
  assert.is((await poolNeeds({ builtin: 'compression', options: { backend: 'tensorflow' } })).maxThreads, 1);
});

test.run();
