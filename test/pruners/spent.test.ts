import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatStepsSpent, stepsSpent } from '../../src/pruners/index.js';
import { accCurve, trialWith } from './helpers.js';

test('steps run against steps without pruning: pruned trials count at the full length', () => {
  const trials = [
    trialWith(0, accCurve(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.9), 'complete'),
    trialWith(1, accCurve(0.1, 0.1), 'pruned'),
    trialWith(2, accCurve(0.1, 0.1, 0.1), 'pruned'),
    trialWith(3, accCurve(0.1, 0.2, 0.3, 0.4), 'failed'),
    trialWith(4, accCurve(0.1), 'running'),
  ];
  const spent = stepsSpent(trials)!;
  assert.equal(spent, { spent: 10 + 2 + 3 + 4, full: 10 + 10 + 10 + 4, pruned: 2 });
  assert.is(formatStepsSpent({ spent: 1240, full: 3000, pruned: 12 }), '12 pruned; 1,240 of 3,000 steps run (41%)');
});

test('nothing to say without a pruned trial, or before a complete one shows the full length', () => {
  assert.is(stepsSpent([trialWith(0, accCurve(0.5, 0.6), 'complete')]), null);
  assert.is(stepsSpent([trialWith(0, accCurve(0.5), 'pruned')]), null);
});

test.run();
