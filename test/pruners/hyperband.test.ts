import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HyperbandPruner } from '../../src/pruners/index.js';
import { accCurve, metricSpace, trialWith } from './helpers.js';

const space = metricSpace('acc: maximize');
const settings = { minResource: 1, maxResource: 27, reductionFactor: 3 };

test('brackets: log_η(max/min) + 1 of them, the aggressive ones getting most trials', () => {
  const hb = new HyperbandPruner(space, settings);
  assert.is(hb.brackets, 4);
  const counts = [0, 0, 0, 0];
  for (let n = 0; n < 4900; n++) counts[hb.bracketOf(n)]!++;
  // Hyperband's n_b for η = 3, B = 3: 27, 12, 6, 4 (of 49).
  const expected = [27, 12, 6, 4].map((x) => (x / 49) * 4900);
  counts.forEach((c, b) => assert.ok(Math.abs(c - expected[b]!) < 0.15 * expected[b]!, `bracket ${b}: ${c} vs ${expected[b]}`));
  assert.is(new HyperbandPruner(space, settings).bracketOf(17), hb.bracketOf(17), 'a hash of the number, the same every time');
  assert.is(new HyperbandPruner(space, { minResource: 1, maxResource: 2, reductionFactor: 3 }).brackets, 1, 'maxResource below η·minResource: one bracket');
  assert.is(new HyperbandPruner(space, { minResource: 2, maxResource: 18, reductionFactor: 3 }).brackets, 3);
});

test('a trial is judged only against trials of its own bracket, from its bracket\'s first rung', () => {
  const hb = new HyperbandPruner(space, settings);
  const inBracket = (b: number, skip = -1) => [...Array(400).keys()].filter((n) => hb.bracketOf(n) === b && n !== skip);
  const [me, ...same] = inBracket(0);
  const others = inBracket(1).slice(0, 5);
  // Better trials in another bracket do not count.
  const strangers = others.map((n) => trialWith(n, accCurve(0.9)));
  assert.is(hb.prune({ trial: trialWith(me!, accCurve(0.1)), step: 1, others: strangers }), null);
  const rivals = same.slice(0, 5).map((n) => trialWith(n, accCurve(0.9)));
  assert.match(hb.prune({ trial: trialWith(me!, accCurve(0.1)), step: 1, others: rivals }) ?? '', /rank 6 of 6 .*bracket 0 \(from step 1\)/);
  // Bracket 1 starts halving at step 3: its trials are not judged at step 1.
  const [b1, ...b1peers] = inBracket(1);
  const b1rivals = b1peers.slice(0, 5).map((n) => trialWith(n, accCurve(0.9, 0.9, 0.9)));
  assert.is(hb.prune({ trial: trialWith(b1!, accCurve(0.1)), step: 1, others: b1rivals }), null);
  assert.match(hb.prune({ trial: trialWith(b1!, accCurve(0.1, 0.1, 0.1)), step: 3, others: b1rivals }) ?? '', /step-3 rung.*bracket 1/);
});

test.run();
