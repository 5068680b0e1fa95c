/**
 * Worker limits: a trial whose thread grows off-heap memory past the limit is ended and fails
 * with the reason, and the pool goes on; errors left behind by a trial's async work are blamed on
 * that trial (failing it when they arrive at once, or as a warning naming it when they arrive
 * later) and never fail the next trial in the thread.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { TrialSpec } from '../../src/study/index.js';
import { PiscinaExecutor } from '../../src/workers/index.js';
import { FIXTURE_OBJECTIVE, tempDir } from '../study/helpers.js';

const dir = tempDir();
const spec = (trial: number, mode: string): TrialSpec => ({
  study: 's',
  trial,
  seed: trial,
  params: { x: 0.5, n: 2, mode },
  objective: { module: FIXTURE_OBJECTIVE, options: {} },
  workdir: `${dir}/t${trial}`,
  studyDir: dir,
});

test('a thread past its memory limit (off-heap Buffers) ends only its trial, with the reason', async () => {
  const pool = new PiscinaExecutor({ workers: 1, graceMs: 200, memoryLimit: 256 * 1024 ** 2 });
  try {
    const t0 = performance.now();
    const leak = await pool.run(spec(0, 'leak'), { timeoutMs: 30_000 });
    assert.not.ok(leak.ok);
    assert.match(!leak.ok ? leak.error : '', /^worker memory limit exceeded: \d+ MiB used \(V8 heap \+ off-heap\), budget\.workerMemory is 256 MiB$/);
    assert.ok(performance.now() - t0 < 20_000, 'ended well before the timeout');
    const next = await pool.run(spec(1, 'ok'));
    assert.ok(next.ok, JSON.stringify(next));
  } finally {
    await pool.close();
  }
});

test('an error left by a trial fails that trial (at once) or is reported as its own (later); the next trial is untouched', async () => {
  const pool = new PiscinaExecutor({ workers: 1, graceMs: 200 });
  try {
    const stray = await pool.run(spec(0, 'stray'));
    assert.not.ok(stray.ok);
    assert.match(!stray.ok ? stray.error : '', /error outside the objective's promise .*stray rejection of trial 0/);
    const late = await pool.run(spec(1, 'late'));
    assert.ok(late.ok, 'the late error has not happened yet');
    await new Promise((r) => setTimeout(r, 600));
    const after = await pool.run(spec(2, 'ok'));
    assert.ok(after.ok, `trial 2 is not blamed: ${JSON.stringify(after)}`);
    assert.equal(after.warnings?.length, 1);
    assert.match(after.warnings![0]!, /^trial 1 left an error behind after it finished .*late rejection of trial 1/);
    const clean = await pool.run(spec(3, 'ok'));
    assert.ok(clean.ok);
    assert.is(clean.warnings, undefined, 'the thread was replaced: nothing left over');
  } finally {
    await pool.close();
  }
});

test.run();
