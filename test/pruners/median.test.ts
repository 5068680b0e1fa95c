import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MedianPruner } from '../../src/pruners/index.js';
import type { Trial } from '../../src/study/index.js';
import { accCurve, metricSpace, trialWith } from './helpers.js';

const space = metricSpace('acc: maximize');
const complete = [0.5, 0.6, 0.7, 0.8, 0.9].map((v, i) => trialWith(i, accCurve(v / 2, v), 'complete'));
const median = new MedianPruner(space, { startupTrials: 5, warmupSteps: 0, interval: 1 });
const judge = (p: MedianPruner, trial: Trial, others: readonly Trial[]) => p.prune({ trial, step: trial.intermediate.at(-1)!.step, others });

test('stops a trial whose best so far is worse than the complete trials\' median at this step', () => {
  assert.match(judge(median, trialWith(9, accCurve(0.2, 0.65)), complete) ?? '', /median of 5 complete trials at step 2/);
  assert.is(judge(median, trialWith(9, accCurve(0.2, 0.75)), complete), null);
  // Best so far, not the last value: a noisy dip does not stop it.
  assert.is(judge(median, trialWith(9, accCurve(0.5, 0.2)), [...complete.map((t) => trialWith(t.number, accCurve(0.3, 0.4), 'complete'))]), null);
});

test('startup trials, warm-up steps and the interval hold it back', () => {
  assert.is(judge(median, trialWith(9, accCurve(0.1, 0.1)), complete.slice(0, 4)), null, 'four complete trials of five needed');
  const running = complete.map((t) => ({ ...t, state: 'running' as const }));
  assert.is(judge(median, trialWith(9, accCurve(0.1, 0.1)), running), null, 'running trials are no yardstick');
  const warm = new MedianPruner(space, { startupTrials: 5, warmupSteps: 3, interval: 1 });
  assert.is(judge(warm, trialWith(9, accCurve(0.1, 0.1)), complete), null);
  const every2 = new MedianPruner(space, { startupTrials: 5, warmupSteps: 0, interval: 2 });
  assert.is(judge(every2, trialWith(9, accCurve(0.1)), complete), null, 'step 1 is not judged');
  assert.ok(judge(every2, trialWith(9, accCurve(0.1, 0.1)), complete));
});

test('an even number of complete trials: the median is the mean of the middle two', () => {
  const four = complete.slice(0, 4); // 0.5, 0.6, 0.7, 0.8 at step 2: median 0.65
  const p = new MedianPruner(space, { startupTrials: 4, warmupSteps: 0, interval: 1 });
  assert.ok(judge(p, trialWith(9, accCurve(0.2, 0.64)), four));
  assert.is(judge(p, trialWith(9, accCurve(0.2, 0.66)), four), null);
});

test('warm-up and interval together: judged at warmupSteps, then every interval steps', () => {
  const long = [0.5, 0.6, 0.7].map((v, i) => trialWith(i, accCurve(v, v, v, v, v, v, v, v), 'complete'));
  const p = new MedianPruner(space, { startupTrials: 3, warmupSteps: 2, interval: 3 });
  const judged = [1, 2, 3, 4, 5, 6, 7, 8].filter((step) => judge(p, trialWith(9, accCurve(...Array(step).fill(0.1))), long) !== null);
  assert.equal(judged, [2, 5, 8]);
  const none = new MedianPruner(space, { startupTrials: 0, warmupSteps: 0, interval: 1 });
  assert.is(judge(none, trialWith(9, accCurve(0.1)), []), null, 'no complete trial, no median');
});

test('several objectives: stops only when the median is better on every one', () => {
  const two = metricSpace('acc: maximize, size: minimize');
  const p = new MedianPruner(two, { startupTrials: 3, warmupSteps: 0, interval: 1 });
  const done = [
    [0.6, 50],
    [0.7, 60],
    [0.8, 70],
  ].map(([acc, size], i) => trialWith(i, [[0, { size: size! }], [1, { acc: acc! }]], 'complete'));
  const me = (acc: number, size: number) => trialWith(9, [[0, { size }], [1, { acc }]]);
  assert.ok(judge(p, me(0.5, 80), done), 'worse and bigger than the median (0.7, 60)');
  assert.is(judge(p, me(0.5, 10), done), null, 'worse but smaller');
});

test.run();
