/**
 * ctx.artifacts from a worker thread: each call travels over the trial's port to the main thread,
 * which answers from the study's storage (src/workers/artifacts.ts); without artifacts from the
 * loop, the objective sees none.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openStorage } from '../../src/storage/index.js';
import { studyArtifacts, type TrialSpec } from '../../src/study/index.js';
import { InProcessExecutor, PiscinaExecutor } from '../../src/workers/index.js';
import { tempDir } from '../study/helpers.js';

const OBJECTIVE = fileURLToPath(new URL('../fixtures/artifact-objective.js', import.meta.url));

test('a worker thread claims, stores and reads a study artifact through the main thread; the second trial finds it stored', async () => {
  const dir = tempDir();
  const storage = await openStorage(join(dir, 's.db'));
  await storage.createStudy({ name: 's', spaceFile: 's.yaml', spaceText: 'x', spaceHash: 'h', directions: {}, seed: 1 });
  const artifacts = (owner: string) => studyArtifacts(storage, 's', owner);
  const spec = (trial: number): TrialSpec => ({ study: 's', trial, seed: 0, params: {}, objective: { module: OBJECTIVE, options: {} }, workdir: join(dir, String(trial)), studyDir: dir });
  const pool = new PiscinaExecutor({ workers: 1 });
  try {
    const first = await pool.run(spec(3), { artifacts: artifacts('t3') });
    assert.equal(first.ok && first.output, { loss: 3, width: 2, claim: 'claimed', stored: 'true' });
    const second = await pool.run(spec(4), { artifacts: artifacts('t4') });
    assert.equal(second.ok && second.output, { loss: 3, width: 2, claim: 'stored', stored: 'false' });
    const none = await pool.run(spec(5));
    assert.equal(none.ok && none.output, { loss: 0, claim: 'none' }, 'no artifacts given: ctx.artifacts is absent');
  } finally {
    await pool.close();
  }
  // The in-process executor answers the same way.
  const inline = await new InProcessExecutor(1).run(spec(6), { artifacts: artifacts('t6') });
  assert.equal(inline.ok && inline.output, { loss: 3, width: 2, claim: 'stored', stored: 'false' });
  await storage.close();
});

test.run();
