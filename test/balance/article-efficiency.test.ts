/** The shipped space whose efficiency is the seed article's E = P / C (issue 15 part 7). */
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explainBalance } from '../../src/balance/index.js';
import { evaluate, loadSpace } from '../../src/space/index.js';
import { syntheticCompression } from '../report/synthetic.js';

const space = loadSpace(join(process.cwd(), 'search-spaces', 'mnist-article-efficiency.yaml'));

test('E is digits per second over MACs per digit, from latency_ms over a batch of latencyBatch digits', () => {
  assert.is(space.objective.options.latencyBatch, 100);
  const latencyMs = 2; // 100 digits in 2 ms: 50,000 digits per second
  const macs = 25_000;
  assert.ok(Math.abs(evaluate(space.balance!.efficiency, { latency_ms: latencyMs, macs }) - 50_000 / 25_000) < 1e-12);
  assert.equal(space.constraints.map((c) => c.text), ['accuracy >= 0.9']);
});

test('the balance point of E = P / C is found among trials that meet the accuracy constraint', () => {
  const trials = syntheticCompression(80).trials;
  const { result, reason } = explainBalance(space, trials);
  assert.ok(result, reason ?? '');
  assert.ok(Number.isFinite(result!.sStar.median) && result!.sStar.median > 0);
  const recommended = trials[result!.recommended!.trial]!;
  assert.ok(recommended.metrics!.accuracy! >= 0.9, 'the recommendation is accurate enough');
  for (const p of result!.points) assert.ok(trials[p.trial]!.metrics!.accuracy! >= 0.9, `trial ${p.trial} used only if feasible`);
});

test.run();
