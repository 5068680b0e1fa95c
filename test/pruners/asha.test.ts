import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AshaPruner, rungsBetween } from '../../src/pruners/index.js';
import type { Trial } from '../../src/study/index.js';
import { accCurve, metricSpace, trialWith } from './helpers.js';

const oneObjective = metricSpace('acc: maximize');
const asha = new AshaPruner(oneObjective, { minResource: 1, maxResource: 9, reductionFactor: 3 });

/** Ask about `trial`'s last report against `others`. */
const judge = (pruner: AshaPruner, trial: Trial, others: readonly Trial[]) =>
  pruner.prune({ trial, step: trial.intermediate[trial.intermediate.length - 1]!.step, others });

test('rungs sit at minResource·η^k below maxResource', () => {
  assert.equal(rungsBetween({ minResource: 1, maxResource: 27, reductionFactor: 3 }, -Infinity, 100), [1, 3, 9]);
  assert.equal(rungsBetween({ minResource: 2, reductionFactor: 2 }, 2, 16), [4, 8, 16]);
  assert.equal(rungsBetween({ minResource: 1, maxResource: 9, reductionFactor: 3 }, 1, 2), []);
});

test('synchronous arrival: with nine trials at the rung, the best three go on', () => {
  const others = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8].map((v, i) => trialWith(i, accCurve(v), 'running'));
  assert.is(judge(asha, trialWith(8, accCurve(0.75)), others), null);
  const verdict = judge(asha, trialWith(8, accCurve(0.55)), others);
  assert.match(verdict ?? '', /rank 4 of 9 at the step-1 rung, which keeps 3/);
});

test('asynchronous arrival: each arrival is ranked among those that reached the rung before it', () => {
  const t0 = trialWith(0, accCurve(0.2));
  const t1 = trialWith(1, accCurve(0.5));
  const t2 = trialWith(2, accCurve(0.3));
  assert.is(judge(asha, t0, []), null, 'the first arrival always goes on');
  assert.is(judge(asha, t1, [t0]), null, 'better than all before it');
  assert.match(judge(asha, t2, [t0, t1]) ?? '', /rank 2 of 3/);
  // Peers are taken as they were at the rung, whatever they reported later.
  const t0later = trialWith(0, accCurve(0.2, 0.9, 0.95), 'complete');
  assert.match(judge(asha, t2, [t0later, t1]) ?? '', /rank 2 of 3/);
});

test('only a report that reaches a rung is judged; a report past several rungs is judged at each', () => {
  const others = [0.9, 0.8, 0.7].map((v, i) => trialWith(i, accCurve(v, v, v, v), 'complete'));
  assert.is(judge(asha, trialWith(5, accCurve(0.95, 0.1)), others), null, 'step 2 is no rung');
  assert.match(judge(asha, trialWith(5, accCurve(0.95, 0.1, 0.1)), others) ?? '', /step-3 rung/);
  const jump = trialWith(5, [[0, { acc: 0.95 }], [4, { acc: 0.1 }]]);
  assert.match(judge(asha, jump, others) ?? '', /step-1 rung/);
  const atMax = trialWith(5, accCurve(0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.1));
  assert.is(judge(asha, atMax, others), null, 'maxResource (9) is not a rung');
});

test('several objectives: non-dominated sorting, crowding distance, a metric known from step 0', () => {
  const space = metricSpace('acc: maximize, size: minimize');
  const pruner = new AshaPruner(space, { minResource: 1, reductionFactor: 3 });
  const peer = (n: number, acc: number, size: number) => trialWith(n, [[0, { size }], [1, { acc }]]);
  const others = [peer(0, 0.9, 100), peer(1, 0.5, 10), peer(2, 0.4, 50), peer(3, 0.8, 80)];
  // Smallest of all: an extreme of the first front, tied with the best kept one, so it goes on.
  assert.is(judge(pruner, peer(4, 0.45, 5), others), null);
  // Dominated by trial 1 (better and smaller): second front.
  assert.match(judge(pruner, peer(4, 0.3, 60), others) ?? '', /rank \d of 5 .*by acc, size/);
  // Inside the first front, between extremes: ranked by crowding distance below the extremes.
  const six = [...others, peer(4, 0.45, 5)];
  assert.match(judge(pruner, peer(5, 0.85, 90), six) ?? '', /rank [3-6] of 6/);
});

test('constraints: an infeasible trial ranks below feasible ones; constraints on unreported metrics wait', () => {
  const space = metricSpace('acc: maximize, size: minimize', 'constraints: ["size <= 60", "latency <= 5"]');
  const pruner = new AshaPruner(space, { minResource: 1, reductionFactor: 2 });
  const peer = (n: number, acc: number, size: number) => trialWith(n, [[0, { size }], [1, { acc }]]);
  const others = [peer(0, 0.5, 40), peer(1, 0.6, 50)];
  assert.match(judge(pruner, peer(2, 0.99, 200), others) ?? '', /rank 3 of 3/);
  assert.is(judge(pruner, peer(2, 0.99, 45), others), null, 'latency is unknown: its constraint takes no part');
});

test('ties are broken by trial number, whatever order the trials come in', () => {
  const pruner = new AshaPruner(oneObjective, { minResource: 1, reductionFactor: 3 });
  // Three equal values: the extremes of the sort (lowest and highest number) rank first.
  assert.match(judge(pruner, trialWith(3, accCurve(0.5)), [trialWith(5, accCurve(0.5)), trialWith(0, accCurve(0.5))]) ?? '', /rank 3 of 3/);
  assert.is(judge(pruner, trialWith(6, accCurve(0.5)), [trialWith(5, accCurve(0.5)), trialWith(0, accCurve(0.5))]), null);
});

test('a trial that reports none of the objectives is not judged', () => {
  assert.is(judge(asha, trialWith(3, [[1, { loss: 9 }]]), [trialWith(0, accCurve(0.9))]), null);
});

test.run();
