import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeEarlyStopping, describePruner } from '../../src/pruners/index.js';
import { parsePruner } from '../../src/space/index.js';
import { accCurve, trialWith } from './helpers.js';

const pruner = (v: unknown) => parsePruner(v, 'test');

test('each pruner named with the settings that decide what it stops', () => {
  assert.is(describePruner(pruner('none')), 'none');
  assert.is(describePruner(pruner('asha')), 'asha η=3, rungs from step 1');
  assert.is(describePruner(pruner({ name: 'asha', minResource: 2, maxResource: 9, reductionFactor: 4 })), 'asha η=4, rungs from step 2 below step 9');
  assert.is(describePruner(pruner({ name: 'hyperband', maxResource: 4, reductionFactor: 2 })), 'hyperband η=2, steps 1–4');
  assert.is(describePruner(pruner('median')), 'median after 5 complete trials, from step 0');
  assert.is(describePruner(pruner({ name: 'median', startupTrials: 3, warmupSteps: 2, interval: 4 })), 'median after 3 complete trials, from step 2 every 4 steps');
});

test('early stopping in words: what was saved, pruned before any complete trial, nothing yet, or no pruner', () => {
  const hb = pruner({ name: 'hyperband', maxResource: 4, reductionFactor: 2 });
  const complete = trialWith(0, accCurve(0.5, 0.6, 0.7, 0.8), 'complete');
  const stopped = trialWith(1, accCurve(0.1), 'pruned');
  assert.is(describeEarlyStopping(hb, [complete, stopped]), 'hyperband η=2, steps 1–4: 1 pruned; 5 of 8 steps run (63%)');
  assert.is(describeEarlyStopping(hb, [stopped]), 'hyperband η=2, steps 1–4: 1 pruned');
  assert.is(describeEarlyStopping(hb, [complete]), 'hyperband η=2, steps 1–4: nothing pruned yet');
  assert.is(describeEarlyStopping(pruner('none'), [complete]), null);
  // Resumed with --pruner none after an earlier pruner stopped some.
  assert.is(describeEarlyStopping(pruner('none'), [complete, stopped]), 'none now: 1 pruned; 5 of 8 steps run (63%)');
});

test.run();
