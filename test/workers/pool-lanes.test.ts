/** The pool's two lanes: a trial goes to a free GPU worker first, then to a CPU worker; ctx.device says which. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PiscinaExecutor } from '../../src/workers/index.js';

test('GPU workers first, CPU workers next, each trial told its lane', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sweetspot-lanes-'));
  const module = join(dir, 'lane.mjs');
  writeFileSync(module, "export default async (params, ctx) => { await new Promise((r) => setTimeout(r, 200)); return { device: String(ctx.device), v: 1 }; };\n");
  const executor = new PiscinaExecutor({ workers: 1, gpuWorkers: 1 });
  try {
    assert.is(executor.slots, 2);
    const spec = (trial: number) => ({ study: 's', trial, seed: trial, params: {}, objective: { module, options: {} }, workdir: join(dir, String(trial)), studyDir: dir });
    const first = executor.run(spec(0));
    const second = executor.run(spec(1));
    const devices = (await Promise.all([first, second])).map((o) => (o.ok ? o.output.device : o.error));
    assert.equal(devices, ['gpu', 'cpu']);
    const alone = await executor.run(spec(2));
    assert.is(alone.ok && alone.output.device, 'gpu', 'a free GPU worker is preferred');
  } finally {
    await executor.close();
    rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(() => new PiscinaExecutor({ workers: 0, gpuWorkers: 0 }), /workers \+ gpuWorkers must be >= 1/);
});

test.run();
