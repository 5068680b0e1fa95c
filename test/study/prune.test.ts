/**
 * Early stopping in the study loop, on the synthetic learning curves (known final values): what it
 * stops, what it keeps, what it stores, determinism, and the worker-thread path of an abort.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { curveFacts, type CurveFacts } from '../../src/objectives/index.js';
import { frontIndices, toMinimization } from '../../src/pareto/index.js';
import { createPruner } from '../../src/pruners/index.js';
import { createSampler } from '../../src/samplers/index.js';
import { loadSpace, parsePruner, type Space } from '../../src/space/index.js';
import { openStorage } from '../../src/storage/index.js';
import { runStudy, type Trial } from '../../src/study/index.js';
import { InProcessExecutor, PiscinaExecutor } from '../../src/workers/index.js';
import { tempDir } from './helpers.js';

const FILE = loadSpace('search-spaces/learning-curves.yaml');
/** Steps at no cost: in-process trials see a stop at their next step. */
const SPACE: Space = { ...FILE, objective: { ...FILE.objective, options: { ...FILE.objective.options, stepMs: 0 } } };
const ASHA = { name: 'asha', minResource: 1, maxResource: 27, reductionFactor: 3 };
const facts = (t: Trial): CurveFacts => curveFacts([0, 1, 2, 3].map((i) => t.params[`x${i}`] as number));

async function sweep(space: Space, pruner: unknown, seed: number, executor = new InProcessExecutor(4), trials = 60): Promise<Trial[]> {
  const storage = await openStorage(':memory:');
  try {
    const study = await storage.createStudy({ name: 'curves', spaceFile: space.file, spaceText: space.text, spaceHash: space.hash, directions: space.metrics, seed });
    await runStudy({
      storage,
      study,
      space,
      sampler: createSampler(space.sampler, { space, seed }),
      pruner: createPruner({ space, config: parsePruner(pruner, 'test') }),
      executor,
      trials,
      studyDir: tempDir(),
    });
    return await storage.getTrials('curves');
  } finally {
    await executor.close();
    await storage.close();
  }
}

test('asha stops the poor half and keeps the late bloomers of the front that size alone puts ahead, at < 50% of the steps', async () => {
  const trials = await sweep(SPACE, ASHA, 6);
  assert.is(trials.length, 60);
  const pruned = trials.filter((t) => t.state === 'pruned');
  assert.ok(pruned.length >= 30, `${pruned.length} pruned`);
  // The poor half by the known final values: the back fronts of a non-dominated sort.
  const finals = trials.map((t) => ({ values: toMinimization([{ name: 'accuracy', direction: 'maximize' }, { name: 'size', direction: 'minimize' }], [facts(t).finalAccuracy, facts(t).size]), violation: 0 }));
  const fronts = frontIndices(finals);
  const cut = [...fronts].sort((a, b) => a - b)[30]!;
  const poor = trials.filter((_, i) => fronts[i]! > cut);
  assert.ok(poor.length >= 20, `${poor.length} poor`);
  const poorKept = poor.filter((t) => t.state !== 'pruned');
  assert.ok(poorKept.length <= 0.25 * poor.length, `${poorKept.length} of ${poor.length} poor trials ran to the end`);
  // Those are early arrivals, which meet few rivals at a rung (the price of not waiting for rungs to fill).
  for (const t of poorKept) assert.ok(t.number < 10, `poor trial ${t.number} ran to the end`);
  // Late bloomers of the true front smaller than every earlier trial are first-front extremes at each rung (size is known from step 0).
  const late = trials.filter((t, i) => fronts[i] === 0 && facts(t).shape === 'late' && trials.slice(0, t.number).every((u) => facts(u).size > facts(t).size));
  assert.ok(late.length >= 1, 'the sample has such a late bloomer');
  for (const t of late) assert.is(t.state, 'complete', `late bloomer ${t.number} (${t.error})`);
  const steps = trials.reduce((a, t) => a + t.intermediate.at(-1)!.step, 0);
  assert.ok(steps <= 0.5 * 60 * 27, `${steps} steps of ${60 * 27}`);
});

test('a pruned trial is stored with its intermediate values, its last metrics and the reason', async () => {
  const trials = await sweep(SPACE, ASHA, 3, new InProcessExecutor(2), 20);
  const pruned = trials.filter((t) => t.state === 'pruned');
  assert.ok(pruned.length > 0);
  for (const t of pruned) {
    assert.match(t.error!, /^pruned: rank \d+ of \d+ at the step-\d+ rung/);
    const last = t.intermediate.at(-1)!;
    assert.ok(last.step < 27, 'stopped before its end');
    assert.is(t.metrics!['accuracy'], last.metrics['accuracy']);
    assert.is(t.metrics!['size'], facts(t).size, 'size from step 0 carried forward');
    assert.equal(t.intermediate.map((v) => v.step), [...Array(last.step + 1).keys()]);
  }
  for (const t of trials.filter((u) => u.state === 'complete')) assert.is(t.intermediate.at(-1)!.step, 27);
});

test('one worker and a fixed seed: the same pruned study twice', async () => {
  const key = (ts: Trial[]) => ts.map((t) => `${t.number}:${t.state}:${JSON.stringify(t.params)}:${t.intermediate.length}:${t.error}`);
  for (const pruner of [ASHA, SPACE.pruner, { name: 'median' }]) {
    const a = await sweep(SPACE, pruner, 5, new InProcessExecutor(1), 30);
    const b = await sweep(SPACE, pruner, 5, new InProcessExecutor(1), 30);
    assert.equal(key(a), key(b));
    assert.ok(a.some((t) => t.state === 'pruned'), `${JSON.stringify(pruner)} pruned something`);
  }
});

test('in worker threads the objective sees ctx.signal aborted with a "pruned" reason and stops within a step', async () => {
  const space = { ...SPACE, objective: { ...SPACE.objective, options: { steps: 27, noise: 0.01, stepMs: 15 } } };
  const started = performance.now();
  const trials = await sweep(space, ASHA, 3, new PiscinaExecutor({ workers: 2, graceMs: 10_000 }), 8);
  const seconds = (performance.now() - started) / 1000;
  const pruned = trials.filter((t) => t.state === 'pruned');
  assert.ok(pruned.length > 0, JSON.stringify(trials.map((t) => t.state)));
  // Stopped at its own request, not by the 10 s grace: every trial is over long before that.
  assert.ok(seconds < 8, `${seconds} s`);
  for (const t of pruned) assert.ok(t.intermediate.at(-1)!.step <= crossedRung(t) + 1, `trial ${t.number} ran on to step ${t.intermediate.at(-1)!.step}`);
});

/** The rung step named in a pruned trial's reason. */
const crossedRung = (t: Trial): number => Number(/step-(\d+) rung/.exec(t.error!)![1]);

test.run();
