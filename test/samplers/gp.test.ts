import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GpSampler } from '../../src/samplers/index.js';
import { paramsKey, parseSpace, type Params, type Space } from '../../src/space/index.js';
import type { Trial } from '../../src/study/index.js';
import { emptyHistory, samplerContract } from './contract.js';

samplerContract('gp', (space, seed) => new GpSampler({ space, seed }));

const mkSpace = (params: string, metrics: string, extra = ''): Space =>
  parseSpace(`name: t\nobjective: { builtin: zdt1 }\nparams:\n${params}\nmetrics: ${metrics}\n${extra}`, 't.yaml');

function done(number: number, params: Params, metrics: Record<string, number> | null, state: Trial['state'] = 'complete'): Trial {
  return { study: 't', number, state, params, metrics, attrs: {}, intermediate: [], error: null, worker: 0, attempt: 1, interrupted: false, owner: null, startedAt: '2026-01-01T00:00:00.000Z', finishedAt: state === 'running' ? null : '2026-01-01T00:00:01.000Z' };
}

test('finds the minimum of a 2-d quadratic within 20 trials, one at a time', async () => {
  const sp = mkSpace('  x: { type: float, low: -1, high: 1 }\n  y: { type: float, low: -1, high: 1 }', '{ f: minimize }');
  const sampler = new GpSampler({ space: sp, seed: 3 });
  const trials: Trial[] = [];
  const f = (p: Params): number => ((p['x'] as number) - 0.3) ** 2 + ((p['y'] as number) + 0.4) ** 2;
  for (let i = 0; i < 20; i++) {
    const [p] = await sampler.propose(1, { finished: trials, running: [], nextNumber: i });
    trials.push(done(i, p!, { f: f(p!) }));
  }
  const best = Math.min(...trials.map((t) => t.metrics!['f']!));
  assert.ok(best < 1e-3, `best value after 20 trials should be below 1e-3, got ${best}`);
});

test('batch and pending proposals are distinct and not near-duplicates', async () => {
  const sp = mkSpace('  x: { type: float, low: 0, high: 1 }\n  y: { type: float, low: 0, high: 1 }', '{ f: minimize }');
  const sampler = new GpSampler({ space: sp, seed: 4, initial: 6 });
  const f = (p: Params): number => Math.sin(5 * (p['x'] as number)) + (p['y'] as number) ** 2;
  const init = await sampler.propose(6, emptyHistory(0));
  const finished = init.map((p, i) => done(i, p, { f: f(p) }));
  const running = [done(6, { x: 0.5, y: 0.5 }, null, 'running')];
  const batch = await sampler.propose(4, { finished, running, nextNumber: 7 });
  const all = [...batch, running[0]!.params];
  for (let a = 0; a < all.length; a++)
    for (let b = 0; b < a; b++) {
      const d = Math.hypot((all[a]!['x'] as number) - (all[b]!['x'] as number), (all[a]!['y'] as number) - (all[b]!['y'] as number));
      assert.ok(d > 0.02, `proposals ${a} and ${b} are ${d} apart`);
    }
});

test('Kriging believer: a batch\'s next proposal is the one made with the earlier ones running', async () => {
  // The batch conditions its models on each proposal; a fresh sampler given that proposal as a
  // running trial conditions on it while fitting. Both must then make the same next proposal.
  const sp = mkSpace('  x: { type: float, low: 0, high: 1 }\n  y: { type: float, low: 0, high: 1 }', '{ f: minimize }');
  const f = (p: Params): number => ((p['x'] as number) - 0.3) ** 2 + ((p['y'] as number) - 0.6) ** 2;
  const init = await new GpSampler({ space: sp, seed: 2, initial: 8 }).propose(8, emptyHistory(0));
  const finished = init.map((p, i) => done(i, p, { f: f(p) }));
  const batch = await new GpSampler({ space: sp, seed: 2, initial: 8 }).propose(3, { finished, running: [], nextNumber: 8 });
  const second = await new GpSampler({ space: sp, seed: 2, initial: 8 }).propose(1, { finished, running: [done(8, batch[0]!, null, 'running')], nextNumber: 9 });
  assert.equal(second, [batch[1]]);
  const third = await new GpSampler({ space: sp, seed: 2, initial: 8 }).propose(1, {
    finished,
    running: [done(8, batch[0]!, null, 'running'), done(9, batch[1]!, null, 'running')],
    nextNumber: 10,
  });
  assert.equal(third, [batch[2]]);
  // And where the running trials are changes the proposal (they are in the models, not only excluded).
  const elsewhere = await new GpSampler({ space: sp, seed: 2, initial: 8 }).propose(1, { finished, running: [done(8, { x: 0.9, y: 0.1 }, null, 'running')], nextNumber: 9 });
  assert.not.equal(elsewhere, second);
});

test('two objectives with a maximized metric and a constraint: proposals improve the feasible front', async () => {
  const sp = mkSpace(
    '  x: { type: float, low: 0, high: 1 }\n  y: { type: float, low: 0, high: 1 }',
    '{ acc: maximize, size: minimize }',
    'constraints: [ "acc >= 0.3" ]\n',
  );
  const sampler = new GpSampler({ space: sp, seed: 5 });
  const evalP = (p: Params): Record<string, number> => {
    const x = p['x'] as number;
    const y = p['y'] as number;
    return { acc: x * (1 - 0.5 * y), size: x * x + 0.2 * y };
  };
  const trials: Trial[] = [];
  for (let i = 0; i < 16; i += 2) {
    const ps = await sampler.propose(2, { finished: trials, running: [], nextNumber: i });
    ps.forEach((p, j) => trials.push(done(i + j, p, evalP(p))));
  }
  const model = trials.slice(6);
  const feasible = model.filter((t) => t.metrics!['acc']! >= 0.3).length;
  assert.ok(feasible >= model.length * 0.6, `most model-based proposals should be feasible, got ${feasible}/${model.length}`);
  // Good configurations have small y (y only hurts both objectives).
  const lowY = model.filter((t) => (t.params['y'] as number) < 0.2).length;
  assert.ok(lowY >= model.length * 0.5, `proposals should concentrate at small y, got ${lowY}/${model.length}`);
});

test('mixed space with a categorical: failed trials are ignored and never repeated', async () => {
  const sp = mkSpace(
    '  lr: { type: float, low: 1.0e-4, high: 1, log: true }\n  layers: { type: int, low: 1, high: 4 }\n  opt: { type: categorical, choices: [sgd, adam, rmsprop] }\n  bits: { type: ordinal, choices: [2, 4, 8] }',
    '{ loss: minimize }',
  );
  const sampler = new GpSampler({ space: sp, seed: 6 });
  const loss = (p: Params): number => Math.abs(Math.log10(p['lr'] as number) + 2) + (p['opt'] === 'adam' ? 0 : 1) + 0.1 * (p['layers'] as number);
  const trials: Trial[] = [];
  for (let i = 0; i < 24; i++) {
    const [p] = await sampler.propose(1, { finished: trials, running: [], nextNumber: i });
    trials.push(i % 5 === 4 ? done(i, p!, null, 'failed') : done(i, p!, { loss: loss(p!) }));
  }
  const keys = new Set(trials.map((t) => paramsKey(sp, t.params)));
  assert.is(keys.size, trials.length, 'no configuration proposed twice');
  const best = trials.filter((t) => t.metrics).sort((a, b) => a.metrics!['loss']! - b.metrics!['loss']!)[0]!;
  assert.is(best.params['opt'], 'adam');
  assert.ok(best.metrics!['loss']! < 0.5, `best loss ${best.metrics!['loss']}`);
});

test('three objectives (Monte-Carlo EHVI) and four (ParEGO) give valid, distinct proposals', async () => {
  for (const m of [3, 4]) {
    const names = Array.from({ length: m }, (_, j) => `f${j}`);
    const sp = mkSpace('  x: { type: float, low: 0, high: 1 }\n  y: { type: float, low: 0, high: 1 }', `{ ${names.map((n) => `${n}: minimize`).join(', ')} }`);
    const sampler = new GpSampler({ space: sp, seed: 9, options: { rawSamples: 128 } });
    const evalP = (p: Params): Record<string, number> =>
      Object.fromEntries(names.map((n, j) => [n, ((p['x'] as number) - j / m) ** 2 + (p['y'] as number) * (j + 1)]));
    const trials: Trial[] = [];
    for (let i = 0; i < 12; i += 3) {
      const ps = await sampler.propose(3, { finished: trials, running: [], nextNumber: i });
      ps.forEach((p, j) => trials.push(done(i + j, p, evalP(p))));
    }
    assert.is(new Set(trials.map((t) => paramsKey(sp, t.params))).size, 12, `${m} objectives: distinct`);
    // y only hurts every objective: model-based proposals should prefer small y.
    const late = trials.slice(6).filter((t) => (t.params['y'] as number) < 0.25).length;
    assert.ok(late >= 3, `${m} objectives: proposals at small y ${late}/6`);
  }
});

test('one objective, late in the budget: the proposal is a local step inside the trust region around the incumbent', async () => {
  // Observations on [0, 0.5] falling towards 0.5 (best at 0.475); global log EI follows the trend to 1.
  const propose = async (budget: number): Promise<number> => {
    const space = mkSpace('  x: { type: float, low: 0, high: 1 }', '{ f: minimize }', `budget: { trials: ${budget} }`);
    const finished = Array.from({ length: 10 }, (_, i) => 0.05 * i + 0.025).map((x, i) => done(i, { x }, { f: 1 - x }));
    const [p] = await new GpSampler({ space, seed: 2, initial: 4 }).propose(1, { finished, running: [], nextNumber: 10 });
    return p!['x'] as number;
  };
  // Trial 10 of 100: a global step.
  const global = await propose(100);
  assert.ok(global > 0.95, `a global step should follow the trend to the bound, got ${global}`);
  // Trial 10 of 12 (past 60 %): the box around the incumbent (x = 0.475) has side 0.8 in one dimension.
  const local = await propose(12);
  assert.ok(local >= 0.475 - 0.4 - 1e-9 && local <= 0.475 + 0.4 + 1e-9, `local step at ${local}`);
});

test('rejects unknown and malformed options', () => {
  const sp = mkSpace('  x: { type: float, low: 0, high: 1 }', '{ f: minimize, g: minimize }');
  assert.throws(() => new GpSampler({ space: sp, seed: 1, options: { rawSample: 10 } }), /sampler\.rawSample: not an option of sampler 'gp'; its options: rawSamples, restarts, referencePoint/);
  assert.throws(() => new GpSampler({ space: sp, seed: 1, options: { restarts: 0 } }), /'restarts' must be a positive integer, got 0/);
  assert.throws(() => new GpSampler({ space: sp, seed: 1, options: { referencePoint: { f: 1 } } }), /referencePoint.g' must be a finite number/);
});

test.run();
