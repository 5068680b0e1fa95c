/**
 * samplerContract: the rules every Sampler must keep (see src/study/sampler.ts), run against each
 * implementation. Spaces are parsed from YAML so they are exactly what a study would hand a sampler.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isValidValue, paramsKey, parseSpace, type Params, type Space } from '../../src/space/index.js';
import type { Sampler, SamplerHistory, Trial, TrialState } from '../../src/study/index.js';

export const space = (params: string, name = 'contract'): Space =>
  parseSpace(`name: ${name}\nobjective: { builtin: zdt1 }\nparams:\n${params}\nmetrics: { f1: minimize }\n`, `${name}.yaml`);

/** One space per parameter kind, plus a mixed one. */
export const SPACES: Readonly<Record<string, Space>> = {
  int: space('  a: { type: int, low: -3, high: 17, step: 2 }\n  b: { type: int, low: 0, high: 1000 }'),
  float: space('  x: { type: float, low: -2.5, high: 4 }\n  y: { type: float, low: 0, high: 1 }'),
  log: space('  lr: { type: float, low: 1.0e-5, high: 0.1, log: true }\n  width: { type: int, low: 8, high: 512, log: true }'),
  categorical: space('  act: { type: categorical, choices: [relu, gelu, tanh, true, 3] }'),
  ordinal: space('  bits: { type: ordinal, choices: [2, 4, 8, 16, 32] }\n  k: { type: ordinal, choices: [small, medium, large] }'),
  mixed: space(
    '  lr: { type: float, low: 1.0e-4, high: 1, log: true }\n  layers: { type: int, low: 1, high: 6 }\n' +
      '  opt: { type: categorical, choices: [sgd, adam] }\n  bits: { type: ordinal, choices: [4, 8] }',
  ),
};

export function trial(number: number, params: Params, state: TrialState = 'complete'): Trial {
  return {
    study: 'contract',
    number,
    state,
    params,
    metrics: state === 'complete' ? { f1: number } : null,
    attrs: {},
    intermediate: [],
    error: null,
    worker: 0,
    attempt: 1,
    interrupted: false,
    owner: null,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: state === 'running' ? null : '2026-01-01T00:00:01.000Z',
  };
}

export const emptyHistory = (nextNumber = 0): SamplerHistory => ({ finished: [], running: [], nextNumber });

/** Run a sampler one proposal at a time for `n` trials, each finished before the next (workers = 1). */
export async function sequential(sampler: Sampler, n: number): Promise<Params[]> {
  const finished: Trial[] = [];
  for (let i = 0; i < n; i++) {
    const [p] = await sampler.propose(1, { finished, running: [], nextNumber: i });
    finished.push(trial(i, p!));
  }
  return finished.map((t) => t.params);
}

function assertValid(space: Space, p: Params): void {
  assert.equal(Object.keys(p), Object.keys(space.params), 'a proposal has exactly the space parameters, in order');
  for (const [name, spec] of Object.entries(space.params)) {
    assert.ok(isValidValue(spec, p[name]), `${name} = ${JSON.stringify(p[name])} is not a valid ${spec.type} value`);
  }
}

export function samplerContract(label: string, make: (space: Space, seed: number) => Sampler): void {
  const test = suite(`samplerContract: ${label}`);

  for (const [kind, sp] of Object.entries(SPACES)) {
    test(`${kind} space: proposals are valid configurations`, async () => {
      const sampler = make(sp, 1);
      for (const p of await sequential(sampler, 40)) assertValid(sp, p);
      for (const p of await sampler.propose(8, emptyHistory(40))) assertValid(sp, p);
    });
  }

  test('log parameters reach both decades of their range', async () => {
    const lrs = (await sequential(make(SPACES.log!, 2), 64)).map((p) => p['lr'] as number);
    // Log-uniform over [1e-5, 0.1]: a quarter of the draws below 1e-4 (uniform would give 0.1%).
    assert.ok(lrs.filter((x) => x < 1e-4).length >= 8, `lr values ${lrs.slice(0, 8)}`);
    assert.ok(lrs.filter((x) => x > 1e-2).length >= 8);
  });

  test('returns exactly k proposals', async () => {
    const sampler = make(SPACES.mixed!, 3);
    for (const k of [0, 1, 2, 7]) assert.is((await sampler.propose(k, emptyHistory(5))).length, k);
  });

  test('same seed and history give the same proposals (fresh instances too)', async () => {
    const a = await sequential(make(SPACES.mixed!, 4), 20);
    const b = await sequential(make(SPACES.mixed!, 4), 20);
    assert.equal(a, b);
    const history: SamplerHistory = {
      finished: a.slice(0, 6).map((p, i) => trial(i, p)),
      running: a.slice(6, 8).map((p, i) => trial(6 + i, p, 'running')),
      nextNumber: 8,
    };
    const s1 = make(SPACES.mixed!, 4);
    const s2 = make(SPACES.mixed!, 4);
    assert.equal(await s1.propose(3, history), await s2.propose(3, history));
  });

  test('another seed gives other proposals', async () => {
    const a = await sequential(make(SPACES.float!, 5), 10);
    const b = await sequential(make(SPACES.float!, 6), 10);
    assert.not.equal(a, b);
    // The seeded part of every sampler (its first, space-filling proposals) must differ; later
    // model-based proposals may legitimately agree (two seeds can find the same acquisition optimum).
    assert.ok(paramsKey(SPACES.float!, a[0]!) !== paramsKey(SPACES.float!, b[0]!));
    assert.ok(paramsKey(SPACES.float!, a[1]!) !== paramsKey(SPACES.float!, b[1]!));
  });

  test('respects nextNumber: other trial numbers get other proposals', async () => {
    const sampler = make(SPACES.float!, 7);
    const at0 = await sampler.propose(4, emptyHistory(0));
    const at100 = await sampler.propose(4, emptyHistory(100));
    assert.equal(await make(SPACES.float!, 7).propose(4, emptyHistory(100)), at100);
    const keys = new Set([...at0, ...at100].map((p) => paramsKey(SPACES.float!, p)));
    assert.is(keys.size, 8);
  });

  test('a batch holds distinct configurations', async () => {
    const batch = await make(SPACES.mixed!, 8).propose(6, emptyHistory(0));
    assert.is(new Set(batch.map((p) => paramsKey(SPACES.mixed!, p))).size, 6);
  });

  test.run();
}
