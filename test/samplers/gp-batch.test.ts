/** The GP sampler with `batch: mc` (Monte Carlo fantasies over pending trials). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GpSampler } from '../../src/samplers/index.js';
import { parseSpace, type Params, type Space } from '../../src/space/index.js';
import type { Trial } from '../../src/study/index.js';
import { emptyHistory } from './contract.js';

const mkSpace = (metrics: string, extra = ''): Space =>
  parseSpace(`name: t\nobjective: { builtin: zdt1 }\nparams:\n  x: { type: float, low: 0, high: 1 }\n  y: { type: float, low: 0, high: 1 }\nmetrics: ${metrics}\n${extra}`, 't.yaml');

function done(number: number, params: Params, metrics: Record<string, number> | null, state: Trial['state'] = 'complete'): Trial {
  return { study: 't', number, state, params, metrics, attrs: {}, intermediate: [], error: null, worker: 0, attempt: 1, interrupted: false, owner: null, startedAt: '2026-01-01T00:00:00.000Z', finishedAt: state === 'running' ? null : '2026-01-01T00:00:01.000Z' };
}

const dist = (a: Params, b: Params): number => Math.hypot((a['x'] as number) - (b['x'] as number), (a['y'] as number) - (b['y'] as number));

test('option batch: believer or mc, anything else named in the error', () => {
  const sp = mkSpace('{ f: minimize }');
  assert.throws(() => new GpSampler({ space: sp, seed: 1, options: { batch: 'kriging' } }), /sampler 'gp': option 'batch' must be believer or mc, got "kriging"/);
  new GpSampler({ space: sp, seed: 1, options: { batch: 'believer' } });
});

for (const [label, metrics] of [
  ['one objective', '{ f: minimize }'],
  ['two objectives', '{ f: minimize, g: minimize }'],
] as const) {
  test(`${label}: proposals with trials running stay away from them, and fresh instances agree`, async () => {
    const sp = mkSpace(metrics);
    const evaluate = (p: Params): Record<string, number> => {
      const x = p['x'] as number;
      const y = p['y'] as number;
      return { f: (x - 0.3) ** 2 + (y - 0.6) ** 2, g: (x - 0.7) ** 2 + (y - 0.5) ** 2 };
    };
    const init = await new GpSampler({ space: sp, seed: 2, initial: 8 }).propose(8, emptyHistory(0));
    const finished = init.map((p, i) => done(i, p, evaluate(p)));
    const running = [done(8, { x: 0.3, y: 0.6 }, null, 'running'), done(9, { x: 0.5, y: 0.55 }, null, 'running')];
    const history = { finished, running, nextNumber: 10 };
    const a = await new GpSampler({ space: sp, seed: 2, initial: 8, options: { batch: 'mc' } }).propose(3, history);
    const b = await new GpSampler({ space: sp, seed: 2, initial: 8, options: { batch: 'mc' } }).propose(3, history);
    assert.equal(a, b);
    const all = [...a, ...running.map((t) => t.params)];
    for (let i = 0; i < all.length; i++) for (let j = 0; j < i; j++) assert.ok(dist(all[i]!, all[j]!) > 0.02, `proposals ${i} and ${j} are ${dist(all[i]!, all[j]!)} apart`);
    // The fantasies are not the believer: with trials pending, the two treatments propose differently.
    const believer = await new GpSampler({ space: sp, seed: 2, initial: 8 }).propose(3, history);
    assert.not.equal(a, believer);
  });
}

test('with a constraint: pending trials are fantasised and the proposal is feasible by the model', async () => {
  const sp = mkSpace('{ f: minimize }', 'constraints: [ "f <= 0.5" ]\n');
  const evaluate = (p: Params): Record<string, number> => ({ f: ((p['x'] as number) - 0.3) ** 2 + ((p['y'] as number) - 0.6) ** 2 });
  const init = await new GpSampler({ space: sp, seed: 4, initial: 8 }).propose(8, emptyHistory(0));
  const finished = init.map((p, i) => done(i, p, evaluate(p)));
  const [p] = await new GpSampler({ space: sp, seed: 4, initial: 8, options: { batch: 'mc' } }).propose(1, { finished, running: [done(8, { x: 0.3, y: 0.6 }, null, 'running')], nextNumber: 9 });
  assert.ok(evaluate(p!)['f']! <= 0.5, `proposal ${JSON.stringify(p)} should be feasible`);
  assert.ok(dist(p!, { x: 0.3, y: 0.6 }) > 0.02);
});

test.run();
